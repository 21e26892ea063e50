package io.maestro.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the embedded H2 store from being written to a file while another transaction is changing it
 * (ADR 0058).
 *
 * <p>H2 writes its in-memory maps to the file (a "store") from whichever thread asks: our durable
 * flush, or any writer whose unsaved changes pass H2's buffer size. A store that runs while other
 * sessions change the maps can capture one table after a concurrent transaction's change and
 * another table, or an index, before it. After a crash, H2 then opened with part of a transaction
 * that was never acknowledged: a run row without its steps and receipt, receipts already placed
 * still queued, an index entry without its row ({@code CrashConsistencyH2IT}).
 *
 * <p>So on the embedded database a transaction takes this lock before its first change (or its
 * first {@code FOR UPDATE}) and keeps it until it has committed or rolled back, and a flush takes
 * it for its stores: a store then sees every transaction either whole or not at all. Reads take no
 * lock. PostgreSQL needs none of this (its WAL makes each commit atomic).
 */
final class StoreWrites {
  private final ReentrantLock lock = new ReentrantLock();

  void lock() {
    lock.lock();
  }

  void unlock() {
    lock.unlock();
  }

  boolean isHeldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }
}
