package io.maestro.provenance;

import io.maestro.core.background.BackgroundLoop;
import io.maestro.provenance.internal.LogStore;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Places queued receipts ({@link Receipts#enqueueAll}) in their logs: in one short transaction per
 * log it locks the head row, gives up to {@value #BATCH} queued receipts their {@code seq} and
 * {@code prev} in the order they were queued, chains them, extends the Merkle tree, stores them and
 * removes them from the queue. The log head is locked once per batch instead of once per action, so
 * the actions' own transactions no longer wait for each other (ADR 0017).
 *
 * <p>A background thread drains the logs it is told about after each commit (letting receipts
 * gather for {@link #GATHER} first), and every {@link #SWEEP} all logs with queued receipts (those
 * left by a crash or by another server). Readers that must see every receipt committed before them
 * call {@link #drain} first. Several sequencers (one per server) may run against one database: the
 * head lock serializes them per log. Thread-safe.
 */
public final class Sequencer implements AutoCloseable {
  /** The most receipts placed in one transaction. */
  static final int BATCH = 1000;

  /** How often the background thread looks for queued receipts it was not told about. */
  static final Duration SWEEP = Duration.ofSeconds(1);

  /**
   * How long the background thread lets receipts gather after it was told of one, so that actions
   * committing close together are placed in one transaction rather than one each.
   */
  static final Duration GATHER = Duration.ofMillis(10);

  private static final System.Logger LOG = System.getLogger(Sequencer.class.getName());

  private final Database db;
  private final Receipts.AppendListener listener;
  private final Clock clock;
  private final Set<LogId> pending = ConcurrentHashMap.newKeySet();
  private volatile BackgroundLoop loop;
  private long nextSweep;

  /** A sequencer for the receipts {@code receipts} queues (one per {@link Receipts}). */
  public Sequencer(Database db, Receipts receipts, Clock clock) {
    this.db = db;
    this.listener = receipts.appendListener();
    this.clock = clock;
    receipts.onQueued(this::queued);
  }

  /** Called after a commit that queued receipts of {@code log}. */
  private void queued(LogId log) {
    pending.add(log);
    BackgroundLoop l = loop;
    if (l != null) {
      l.wake();
    }
  }

  /**
   * Places every receipt of {@code log} queued before this call; returns how many it placed (others
   * may have been placed by another sequencer meanwhile).
   */
  public int drain(LogId log) {
    int total = 0;
    while (true) {
      int n = db.inTransaction(TenantScope.platform(), tx -> placeBatch(tx, log));
      total += n;
      if (n < BATCH) {
        return total;
      }
    }
  }

  /** Places every queued receipt of every log. */
  public int drainAll() {
    List<LogId> logs = db.inTransaction(TenantScope.platform(), LogStore::logsWithQueued);
    int total = 0;
    for (LogId log : logs) {
      total += drain(log);
    }
    return total;
  }

  private int placeBatch(Tx tx, LogId log) {
    if (LogStore.queued(tx, log, 1).isEmpty()) {
      return 0; // nothing to do: do not take the head lock
    }
    var now = clock.instant();
    // Locks the head first, then reads the queue: a sequencer that waited for the lock sees what
    // the
    // one before it placed and removed.
    LogStore.lockHead(tx, log, now);
    List<LogStore.Queued> batch = LogStore.queued(tx, log, BATCH);
    if (batch.isEmpty()) {
      return 0;
    }
    Receipts.extend(
        tx,
        log,
        now,
        batch.size(),
        (i, seq, prev) -> ReceiptJson.sequence(batch.get(i).receipt(), seq, prev));
    LogStore.dequeue(tx, log, batch);
    int n = batch.size();
    tx.afterCommit(() -> listener.appended(log, n));
    return n;
  }

  /**
   * Removes queued receipts that are already in their logs (left by a crash of the embedded
   * database, see {@link LogStore#forgetPlaced}); returns how many.
   */
  public int forgetPlaced() {
    int n = db.inTransaction(TenantScope.platform(), LogStore::forgetPlaced);
    if (n > 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "removed "
              + n
              + " queued receipt(s) that were already in their logs (left by an interrupted"
              + " shutdown); the logs are unchanged");
    }
    return n;
  }

  /**
   * Removes what a crash left queued but placed ({@link #forgetPlaced}), then starts the thread.
   */
  public synchronized void start() {
    if (loop == null) {
      forgetPlaced();
      nextSweep = System.nanoTime();
      loop = BackgroundLoop.paced("maestro-sequencer", GATHER, this::pass);
    }
  }

  /**
   * One pass of the background thread: the sweep when it is due, then the logs it was told about;
   * returns how long to rest (until the next sweep, unless more logs were named meanwhile).
   */
  private Duration pass(BackgroundLoop self) {
    try {
      if (System.nanoTime() - nextSweep >= 0) {
        nextSweep = System.nanoTime() + SWEEP.toNanos();
        drainAll();
      }
      if (!pending.isEmpty()) {
        // Every queued commit wakes this thread: wait out the whole gathering time.
        self.hold(GATHER);
      }
      for (LogId log : List.copyOf(pending)) {
        pending.remove(log);
        drain(log);
      }
    } catch (RuntimeException e) {
      // The queue keeps what was not placed; the next pass (at the latest the sweep) retries.
      LOG.log(System.Logger.Level.WARNING, "sequencing receipts failed: " + e.getMessage(), e);
    }
    return pending.isEmpty()
        ? Duration.ofNanos(Math.max(0, nextSweep - System.nanoTime()))
        : Duration.ZERO;
  }

  /** Stops the background thread (without interrupting a transaction); queued receipts stay. */
  @Override
  public void close() {
    BackgroundLoop l;
    synchronized (this) {
      l = loop;
      loop = null;
    }
    if (l != null) {
      l.close();
    }
  }
}
