package io.maestro.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for the embedded H2 file database: makes committed transactions durable with as few
 * {@code CHECKPOINT SYNC}s as possible, without acknowledging any of them early.
 *
 * <p>A transaction that has committed calls {@link #awaitDurable}. It takes a ticket; one waiting
 * transaction at a time (the leader) runs {@code CHECKPOINT SYNC}, which stores and syncs
 * everything committed before it started, and so covers every ticket taken before it began. The
 * others wait for the sync that covers their ticket; transactions that commit while a sync runs are
 * covered by the next one, which one of them leads. Under load one sync makes many commits durable
 * at once; alone, a transaction waits for exactly one sync, as before (ADR 0011, ADR 0017).
 *
 * <p>A failed sync is reported to its leader only; the transactions it would have covered stay
 * waiting and the next leader syncs again, so no caller returns before a sync that succeeded after
 * its commit. Thread-safe.
 */
final class GroupSync {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition synced = lock.newCondition();
  private long tickets;
  private long durableUpTo;
  private boolean syncing;
  private long syncs;

  /**
   * Returns once a {@code CHECKPOINT SYNC} that started after the caller's commit has completed.
   *
   * @param connection the caller's connection, used when the caller leads the sync
   * @throws SQLException when the sync this caller led failed
   */
  void awaitDurable(Connection connection) throws SQLException {
    lock.lock();
    try {
      long ticket = ++tickets;
      while (durableUpTo < ticket) {
        if (!syncing) {
          syncing = true;
          long covers = tickets; // every ticket taken so far committed before this sync starts
          boolean ok = false;
          lock.unlock();
          try {
            sync(connection);
            ok = true;
          } finally {
            lock.lock();
            syncing = false;
            if (ok) {
              durableUpTo = Math.max(durableUpTo, covers);
              syncs++;
            }
            synced.signalAll();
          }
        } else {
          // Uninterruptibly, as the sync itself ran on the caller's thread before: an interrupt
          // here
          // must not turn a committed transaction into a reported failure.
          synced.awaitUninterruptibly();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** How many syncs have completed (for tests and metrics). */
  long syncs() {
    lock.lock();
    try {
      return syncs;
    } finally {
      lock.unlock();
    }
  }

  private static void sync(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("CHECKPOINT SYNC");
    }
  }
}
