package io.maestro.metering;

import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Folds pending metered amounts into the rollups and spend counters in the background ({@link
 * Metering#fold}), {@value #BATCH} at a time, each batch in one short transaction. It keeps the
 * pending tail that usage and spend reads add short; correctness never depends on it running.
 * Several folders (one per server) may run against one database: each claims rows the others do not
 * hold. Thread-safe.
 */
public final class RollupFolder implements AutoCloseable {
  /** The most pending rows folded in one transaction. */
  static final int BATCH = 2000;

  private static final System.Logger LOG = System.getLogger(RollupFolder.class.getName());

  private final Database db;
  private final Metering metering;
  private final Duration interval;
  private volatile boolean running;
  private volatile Thread thread;

  /**
   * @param interval how long the folder sleeps after it found nothing (or less than a batch) to
   *     fold
   */
  public RollupFolder(Database db, Metering metering, Duration interval) {
    this.db = db;
    this.metering = metering;
    this.interval = interval;
  }

  /** Folds everything pending now; returns how many pending rows it folded. */
  public int foldAll() {
    int total = 0;
    while (true) {
      int n = db.inTransaction(TenantScope.platform(), tx -> metering.fold(tx, BATCH));
      total += n;
      if (n < BATCH) {
        return total;
      }
    }
  }

  /** Starts the background thread. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().daemon().name("maestro-rollup-folder").start(this::loop);
  }

  private void loop() {
    while (running) {
      try {
        foldAll();
      } catch (RuntimeException e) {
        // Nothing is lost: the pending rows stay and the next pass folds them.
        LOG.log(System.Logger.Level.WARNING, "folding metered usage failed: " + e.getMessage(), e);
      }
      if (running) {
        LockSupport.parkNanos(this, interval.toNanos());
      }
    }
  }

  /** Stops the background thread (without interrupting a transaction); pending rows stay. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
      thread = null;
    }
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
