package io.maestro.metering;

import io.maestro.core.background.BackgroundLoop;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.time.Duration;

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

  private final Database db;
  private final Metering metering;
  private final Duration interval;
  private BackgroundLoop loop;

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

  /** Starts folding in the background. */
  public synchronized void start() {
    if (loop == null) {
      // A failed pass loses nothing: the pending rows stay and the next pass folds them.
      loop = BackgroundLoop.every("maestro-rollup-folder", interval, this::foldAll);
    }
  }

  /** Stops the background thread (without interrupting a transaction); pending rows stay. */
  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.close();
      loop = null;
    }
  }
}
