package io.maestro.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Makes committed embedded-H2 transactions durable with one flush for every commit that finished
 * before the flush began (group commit).
 *
 * <p>A committer registers after its {@code COMMIT} returned and waits until a flush that began
 * after its registration has completed. Whoever finds no flush running leads the next one on its
 * own connection and covers every registration made before it started; the others wait. Each flush
 * is the pair {@code CHECKPOINT}, {@code CHECKPOINT SYNC} described at {@link
 * Database#commitDurably}: because it began after every covered commit, the argument that makes the
 * pair durable for one commit holds for all of them. Flushes never overlap.
 *
 * <p>When a flush fails, its leader gets the error and the waiters it covered lead a new flush
 * themselves: a commit is never acknowledged on a flush that did not complete.
 */
final class GroupFlush {
  private final StoreWrites writes;
  private long registered;
  private long flushed;
  private boolean flushing;

  GroupFlush(StoreWrites writes) {
    this.writes = writes;
  }

  /** Returns once a flush that began after this call has completed. */
  void awaitDurable(Connection c) throws SQLException {
    if (writes.isHeldByCurrentThread()) {
      // A transaction committed inside another one of this thread that is still writing: no other
      // flush can run while this thread holds the store's write lock, so it flushes by itself.
      flush(c);
      return;
    }
    long ticket;
    long covers;
    synchronized (this) {
      ticket = ++registered;
      while (flushed < ticket && flushing) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted while waiting for a durable flush", e);
        }
      }
      if (flushed >= ticket) {
        return;
      }
      flushing = true;
      covers = registered;
    }
    boolean done = false;
    try {
      flush(c);
      done = true;
    } finally {
      synchronized (this) {
        if (done) {
          flushed = Math.max(flushed, covers);
        }
        flushing = false;
        notifyAll();
      }
    }
  }

  /** One flush, with no transaction changing the store meanwhile (ADR 0058). */
  private void flush(Connection c) throws SQLException {
    writes.lock();
    try (var st = c.createStatement()) {
      st.execute("CHECKPOINT");
      st.execute("CHECKPOINT SYNC");
    } finally {
      writes.unlock();
    }
  }
}
