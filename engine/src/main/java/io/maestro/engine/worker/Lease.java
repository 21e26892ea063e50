package io.maestro.engine.worker;

import java.util.function.Supplier;

/**
 * A claimed queue row as its worker and the pool's heartbeat both see it.
 *
 * <p>When the heartbeat finds the lease lost (cancelled, timed out, redelivered elsewhere) it calls
 * {@link #lose()}, which interrupts the worker so that a running executor stops — but never while
 * the worker is inside database work ({@link #database}): an interrupt during JDBC closes H2's file
 * channel for every connection and breaks a PostgreSQL connection mid-protocol. A loss that arrives
 * during database work is delivered as an interrupt right after it, at the next point where the
 * worker can stop. Before its final transaction a handler calls {@link #finishing()}: the row then
 * leaves the heartbeat set, so the finish deleting the row cannot be mistaken for a lost lease.
 *
 * <p>Thread-safe.
 */
public final class Lease {
  private final Runnable leaveHeartbeats;
  private volatile Thread worker;
  private boolean inDatabase;
  private boolean lost;

  Lease(Runnable leaveHeartbeats) {
    this.leaveHeartbeats = leaveHeartbeats;
  }

  /** A lease nobody heartbeats (handlers called directly, e.g. in tests). */
  public static Lease unmanaged() {
    return new Lease(() -> {});
  }

  void bind(Thread thread) {
    this.worker = thread;
  }

  /** The heartbeat (or a stopping pool) found the row is no longer this worker's. */
  synchronized void lose() {
    lost = true;
    Thread t = worker;
    if (!inDatabase && t != null) {
      t.interrupt();
    }
  }

  /** Whether the lease was lost; the worker should stop at its next check. */
  public synchronized boolean lost() {
    return lost;
  }

  /** Takes the row out of the heartbeat set; call it before the transaction that settles it. */
  public void finishing() {
    leaveHeartbeats.run();
  }

  /**
   * Runs database work on the calling (worker) thread with interrupts held back: a pending
   * interrupt is cleared before and delivered again after, as is a loss reported meanwhile. Other
   * threads (an executor's output pumps) are never interrupted by the lease and run it as is.
   */
  public <T> T database(Supplier<T> work) {
    if (Thread.currentThread() != worker) {
      return work.get();
    }
    boolean pending;
    synchronized (this) {
      inDatabase = true;
      pending = Thread.interrupted();
    }
    try {
      return work.get();
    } finally {
      synchronized (this) {
        inDatabase = false;
        if (pending || lost) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** {@link #database(Supplier)} for work without a result. */
  public void databaseRun(Runnable work) {
    database(
        () -> {
          work.run();
          return null;
        });
  }
}
