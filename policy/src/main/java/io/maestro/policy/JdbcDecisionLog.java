package io.maestro.policy;

import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The decision log in the database. {@link #record} only enqueues, so a decision never waits on the
 * database; a background thread writes batches in one platform-scoped transaction each. When the
 * queue is full (the database is down or slow), entries are dropped and counted rather than slowing
 * decisions: this is the operational log, while records that must commit with their action are
 * written by the caller through {@link DecisionRecords#insert}.
 *
 * <p>Thread-safe. {@link #close} writes what is queued and stops the writer.
 */
public final class JdbcDecisionLog implements DecisionLog, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(JdbcDecisionLog.class.getName());
  private static final int BATCH = 500;

  private final Database database;
  // Decisions and request results in one queue: a request's result is queued after its decision,
  // and both are written by the same batches.
  private final BlockingQueue<Object> queue;
  private final Duration interval;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();

  /** Entries accepted but not yet written or dropped (queued or held by the writer). */
  private final AtomicLong pending = new AtomicLong();

  private final Thread writer;
  private volatile boolean closed;

  public JdbcDecisionLog(Database database, int capacity, Duration interval) {
    this.database = database;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.interval = interval;
    this.writer = Thread.ofVirtual().name("decision-log-writer").start(this::loop);
  }

  @Override
  public void record(DecisionLogEntry entry) {
    enqueue(entry);
  }

  /**
   * Records a request's result (its HTTP status) beside its decision, with the same guarantees as a
   * decision: queued, written in the next batch, dropped and counted when the queue is full.
   */
  public void recordResult(RequestResult result) {
    enqueue(result);
  }

  private void enqueue(Object item) {
    pending.incrementAndGet();
    if (closed || !queue.offer(item)) {
      pending.decrementAndGet();
      dropped.incrementAndGet();
    }
  }

  /**
   * Writes everything recorded so far: drains the queue on the calling thread, then waits (up to
   * ten seconds) for a batch the writer thread may hold.
   */
  public void flush() {
    synchronized (this) {
      List<Object> batch = new ArrayList<>(BATCH);
      while (queue.drainTo(batch, BATCH) > 0) {
        write(batch);
        batch.clear();
      }
    }
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (pending.get() > 0 && System.nanoTime() < until) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Entries dropped because the queue was full or the log closed. */
  public long dropped() {
    return dropped.get();
  }

  public long written() {
    return written.get();
  }

  /** How long a batch waits for the database before it is dropped. */
  static final Duration RETRY_FOR = Duration.ofSeconds(30);

  private void loop() {
    while (!closed) {
      try {
        Object first = queue.poll(interval.toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
          List<Object> batch = new ArrayList<>(BATCH);
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
          synchronized (this) {
            write(batch);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void write(List<Object> batch) {
    try {
      // A database that restarts (ADR 0044) is back within seconds: the batch waits for it, with
      // backoff, rather than leaving a gap in the log. Once closing, one attempt only.
      long giveUp = System.nanoTime() + RETRY_FOR.toNanos();
      long wait = 100;
      while (true) {
        try {
          database.useTransaction(
              TenantScope.platform(),
              tx ->
                  batch.forEach(
                      item -> {
                        if (item instanceof DecisionLogEntry entry) {
                          DecisionRecords.insert(tx, entry);
                        } else {
                          DecisionRecords.insertResult(tx, (RequestResult) item);
                        }
                      }));
          written.addAndGet(batch.size());
          return;
        } catch (RuntimeException e) {
          if (closed || System.nanoTime() > giveUp) {
            dropped.addAndGet(batch.size());
            LOG.log(
                Level.WARNING,
                "could not write " + batch.size() + " decision log entries and request results",
                e);
            return;
          }
          LOG.fine(() -> "decision log write failed, retrying: " + e.getMessage());
          try {
            Thread.sleep(wait);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            dropped.addAndGet(batch.size());
            return;
          }
          wait = Math.min(wait * 2, 2000);
        }
      }
    } finally {
      pending.addAndGet(-batch.size());
    }
  }

  @Override
  public void close() {
    closed = true;
    // No interrupt: it could abort a write in progress. The writer sees the flag within one
    // interval.
    try {
      writer.join(interval.plusSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
