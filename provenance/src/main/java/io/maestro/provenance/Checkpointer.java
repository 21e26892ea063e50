package io.maestro.provenance;

import io.maestro.core.background.BackgroundLoop;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.internal.LogStore;
import io.maestro.provenance.keys.Signer;
import io.maestro.store.Database;
import io.maestro.store.Dialect;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Signs a checkpoint for every log that grew, every {@code interval} or as soon as {@code
 * everyReceipts} receipts arrived, whichever comes first. Signing in batches keeps signatures off
 * the write path.
 *
 * <p>Only one checkpointer signs at a time across processes: on PostgreSQL each run takes a
 * transaction-scoped advisory lock and skips when another process holds it; inside one JVM (and on
 * the embedded H2 database, which one process owns) a lock does the same. During a signer outage
 * runs sign nothing and report why; the first run after the outage covers everything appended
 * meanwhile.
 *
 * <p>Thread-safe. {@link #runOnce()} may also be called directly (tests, shutdown).
 */
public final class Checkpointer implements AutoCloseable, Receipts.AppendListener {
  private static final Logger LOG = Logger.getLogger(Checkpointer.class.getName());

  /** The PostgreSQL advisory lock key of the checkpointer (an arbitrary constant, "MAESCKPT"). */
  static final long ADVISORY_LOCK_KEY = 0x4D414553434B5054L;

  /** One lock per database within this JVM (H2 has no advisory locks; tests run several). */
  private static final Map<Database, ReentrantLock> IN_PROCESS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Database db;
  private final KeyRing keys;
  private final ReceiptLog log;
  private final Clock clock;
  private final Duration interval;
  private final int everyReceipts;
  private final CheckpointWitness witness;

  /**
   * On a database whose commits become visible before they are on disk (embedded H2), only sizes
   * seen by the previous run are signed, so a signed checkpoint never covers a receipt that a crash
   * can still take back. Guarded by the run lock.
   */
  private final boolean delayed;

  private Map<LogId, Long> seenBefore = Map.of();

  private final AtomicLong unsigned = new AtomicLong();
  private volatile BackgroundLoop loop;
  private volatile Status status = new Status(Optional.empty(), 0, "not run yet");

  public Checkpointer(
      Database db,
      KeyRing keys,
      ReceiptLog log,
      Clock clock,
      Duration interval,
      int everyReceipts,
      CheckpointWitness witness) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("checkpoint interval must be positive");
    }
    if (everyReceipts < 1) {
      throw new IllegalArgumentException("everyReceipts must be at least 1");
    }
    this.db = db;
    this.keys = keys;
    this.log = log;
    this.clock = clock;
    this.interval = interval;
    this.everyReceipts = everyReceipts;
    this.witness = witness;
    this.delayed = db.commitsVisibleBeforeDurable();
  }

  /** What the last run did. */
  public record Status(Optional<Instant> lastRun, int lastSigned, String message) {}

  /** The outcome of one run. */
  public sealed interface Run {
    /** Checkpoints were signed for {@code signed} logs (possibly none had grown). */
    record Signed(int signed) implements Run {}

    /** Another checkpointer holds the lock. */
    record Busy() implements Run {}

    /** No signing key is usable. */
    record SignerUnavailable(String reason) implements Run {}
  }

  public Status status() {
    return status;
  }

  /** Starts the background thread. */
  public synchronized void start() {
    if (loop == null) {
      loop = BackgroundLoop.afterEach("maestro-checkpointer", interval, this::tick);
    }
  }

  @Override
  public void appended(LogId logId, int count) {
    BackgroundLoop l = loop;
    if (unsigned.addAndGet(count) >= everyReceipts && l != null) {
      l.wake();
    }
  }

  /** One background run: every {@code interval}, or sooner once enough receipts are unsigned. */
  private void tick() {
    if (db.pool().isClosed()) {
      // The server shut its database down; there is nothing left to sign.
      BackgroundLoop l = loop;
      if (l != null) {
        l.close();
      }
      return;
    }
    try {
      runOnce();
    } catch (RuntimeException e) {
      // A failed run (database down, say) must not end the thread; the next tick retries.
      status = new Status(Optional.of(clock.instant()), 0, "failed: " + e.getMessage());
      LOG.log(Level.WARNING, "checkpoint run failed", e);
    }
  }

  /** Signs checkpoints for every log that grew since its last checkpoint. */
  public Run runOnce() {
    keys.reloadIfUnavailable();
    Optional<Signer> signer = keys.signer();
    if (signer.isEmpty()) {
      String reason = keys.status().problem();
      status = new Status(Optional.of(clock.instant()), 0, "signer unavailable: " + reason);
      return new Run.SignerUnavailable(reason);
    }
    ReentrantLock local = IN_PROCESS.computeIfAbsent(db, d -> new ReentrantLock());
    if (!local.tryLock()) {
      return new Run.Busy();
    }
    try {
      long seen = unsigned.getAndSet(0);
      Map<LogId, Checkpoint> signedNow = new LinkedHashMap<>();
      Run run =
          db.inTransaction(
              TenantScope.platform(),
              tx -> {
                if (db.dialect() == Dialect.POSTGRESQL) {
                  boolean locked =
                      tx.queryOne(
                              "SELECT pg_try_advisory_xact_lock(?) AS ok",
                              rs -> rs.getBoolean("ok"),
                              ADVISORY_LOCK_KEY)
                          .orElse(false);
                  if (!locked) {
                    return new Run.Busy();
                  }
                }
                signedNow.clear(); // a retried transaction starts over
                Map<LogId, Long> seenNow = new HashMap<>();
                for (LogStore.Pending p : LogStore.pendingLogs(tx)) {
                  seenNow.put(p.log(), p.size());
                  long size = p.size();
                  if (delayed) {
                    // Sign only what was already visible one run ago: its commit has finished
                    // writing by now, while a commit seen just now may still be on its way to disk.
                    Long before = seenBefore.get(p.log());
                    if (before == null) {
                      continue;
                    }
                    size = Math.min(before, p.size());
                  }
                  Hash root =
                      size == p.size() ? p.frontier().root() : log.rootAt(tx, p.log(), size);
                  if (!extendsLastCheckpoint(tx, p.log(), size, root)) {
                    continue; // reported as a violation, or nothing new; never sign twice
                  }
                  Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                  // Checkpoint times never go backwards, even if the clock does.
                  Instant time = p.lastTime().filter(now::isBefore).orElse(now);
                  Checkpoint c =
                      Checkpoint.sign(log.origin(p.log()), size, root, time, signer.get());
                  LogStore.insertCheckpoint(tx, p.log(), c);
                  signedNow.put(p.log(), c);
                }
                seenBefore = seenNow;
                return new Run.Signed(signedNow.size());
              });
      // Committed (durably: acknowledged commits are on disk on both databases) before the witness
      // outside the database learns of them, so the witness is never ahead of what was committed.
      witness.record(signedNow);
      if (run instanceof Run.Signed s) {
        status = new Status(Optional.of(clock.instant()), s.signed(), "ok");
      } else {
        unsigned.addAndGet(seen);
      }
      return run;
    } finally {
      local.unlock();
    }
  }

  /**
   * Whether the tree about to be signed extends the last checkpoint this installation signed for
   * the log (the larger of the database's and the witness file's): proven with an RFC 9162
   * consistency proof from the stored tree. A tree that does not — rows edited or lost underneath
   * the application — is reported and left unsigned.
   */
  private boolean extendsLastCheckpoint(Tx tx, LogId id, long size, Hash root) {
    Optional<Checkpoint> stored = LogStore.latestCheckpoint(tx, id, log.origin(id));
    if (stored.isPresent() && stored.get().size() >= size) {
      return false; // already signed (a delayed size can lag the stored checkpoint)
    }
    Optional<Checkpoint> remembered = witness.latest(id);
    Optional<Checkpoint> last =
        remembered.isPresent()
                && (stored.isEmpty() || remembered.get().size() > stored.get().size())
            ? remembered
            : stored;
    if (last.isEmpty()) {
      return true;
    }
    Checkpoint c = last.get();
    if (c.size() > size) {
      log.integrity()
          .violation(
              id, "the log holds " + size + " receipts but checkpoint " + c.size() + " was signed");
      return false;
    }
    try {
      ConsistencyProof proof = log.consistencyProof(tx, id, c.size(), size);
      if (proof.verify(c.root(), root)) {
        return true;
      }
    } catch (MaestroException e) {
      // a stored row that does not verify was reported by the reader already
      return false;
    }
    log.integrity()
        .violation(id, "the tree of " + size + " receipts does not extend checkpoint " + c.size());
    return false;
  }

  @Override
  public void close() {
    BackgroundLoop l = loop;
    if (l != null) {
      l.close();
    }
  }
}
