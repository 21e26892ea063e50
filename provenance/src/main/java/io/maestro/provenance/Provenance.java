package io.maestro.provenance;

import io.maestro.core.Ids;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.internal.LogStore;
import io.maestro.provenance.keys.KeyStore;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * The module's entry point: wires the receipt writer, the log reader, the key ring and the
 * checkpointer for one installation. The server creates one at start-up, calls {@link #start()},
 * and closes it on shutdown.
 */
public final class Provenance implements AutoCloseable {
  private final ProvenanceSettings settings;
  private final Receipts receipts;
  private final ReceiptLog log;
  private final KeyRing keys;
  private final Checkpointer checkpointer;
  private final CheckpointWitness witness;
  private final Sequencer sequencer;
  private final LongAdder appended;

  private Provenance(
      ProvenanceSettings settings,
      Receipts receipts,
      ReceiptLog log,
      KeyRing keys,
      Checkpointer checkpointer,
      CheckpointWitness witness,
      Sequencer sequencer,
      LongAdder appended) {
    this.appended = appended;
    this.settings = settings;
    this.receipts = receipts;
    this.log = log;
    this.keys = keys;
    this.checkpointer = checkpointer;
    this.witness = witness;
    this.sequencer = sequencer;
  }

  /**
   * @param random for receipt ids (UUIDv7); inject a seeded one to replay
   * @param secureRandom for key generation only
   */
  public static Provenance open(
      Database db,
      ProvenanceSettings settings,
      KeyStore keyStore,
      Clock clock,
      RandomGenerator random,
      SecureRandom secureRandom) {
    return open(db, settings, keyStore, CheckpointWitness.inMemory(), clock, random, secureRandom);
  }

  /**
   * @param witness where the latest signed checkpoint of each log is also kept, outside the
   *     database; call {@link #checkNotRolledBack(Database)} before {@link #start()}
   * @param random for receipt ids (UUIDv7); inject a seeded one to replay
   * @param secureRandom for key generation only
   */
  public static Provenance open(
      Database db,
      ProvenanceSettings settings,
      KeyStore keyStore,
      CheckpointWitness witness,
      Clock clock,
      RandomGenerator random,
      SecureRandom secureRandom) {
    KeyRing keys = KeyRing.open(keyStore, settings.origin(), clock, secureRandom);
    // The receipt writer wakes the checkpointer, which reads through the log reader, which reports
    // violations through the writer: the first link is closed once the checkpointer exists.
    AtomicReference<Checkpointer> wake = new AtomicReference<>();
    LongAdder appended = new LongAdder();
    Receipts receipts =
        new Receipts(
            new Ids(clock, random),
            clock,
            (l, n) -> {
              appended.add(n);
              wake.get().appended(l, n);
            });
    ReceiptLog log = new ReceiptLog(settings.origin(), LogIntegrity.recording(db, receipts));
    Checkpointer checkpointer =
        new Checkpointer(
            db,
            keys,
            log,
            clock,
            settings.checkpointInterval(),
            settings.checkpointEveryReceipts(),
            witness);
    wake.set(checkpointer);
    Sequencer sequencer = new Sequencer(db, receipts, clock);
    return new Provenance(
        settings, receipts, log, keys, checkpointer, witness, sequencer, appended);
  }

  /**
   * Compares the database with the checkpoints this installation signed before (the witness file):
   * when the database holds fewer receipts of a log than a signed checkpoint, or a different tree
   * at that size, the log was rolled back — a restored backup, lost writes — and growing it again
   * would sign a second history under the same key.
   *
   * @throws MaestroException {@code log_rollback_detected} naming the log and both sizes
   */
  public void checkNotRolledBack(Database db) {
    Map<String, Checkpoint> remembered = witness.all();
    if (remembered.isEmpty()) {
      return;
    }
    db.useTransaction(
        TenantScope.platform(),
        tx -> {
          for (Map.Entry<String, Checkpoint> e : remembered.entrySet()) {
            LogId id = LogId.ofStorageKey(e.getKey());
            Checkpoint c = e.getValue();
            long size = log.size(tx, id);
            String problem =
                size < c.size()
                    ? "the database holds " + size + " receipts"
                    : rootAt(tx, id, c.size()).equals(c.root())
                        ? null
                        : "the database holds a different tree at that size";
            if (problem != null) {
              throw MaestroException.of(
                  ProvenanceErrors.ROLLBACK_DETECTED,
                  "log_rollback_detected: checkpoint "
                      + c.size()
                      + " of "
                      + id
                      + " was signed ("
                      + c.root().base64()
                      + ") but "
                      + problem
                      + "; refusing to start rather than sign a second history"
                      + " (restore the database to at least that point)");
            }
          }
        });
  }

  private Hash rootAt(Tx tx, LogId id, long size) {
    try {
      return log.rootAt(tx, id, size);
    } catch (LogStore.CorruptRow e) {
      return Hash.ZERO; // rows of that prefix are missing: certainly not the signed tree
    }
  }

  public ProvenanceSettings settings() {
    return settings;
  }

  /** Writes receipts ({@link Receipts#append}). */
  /**
   * Receipts this process appended to (placed in) any log since it opened, counted after their
   * transactions committed.
   */
  public long receiptsAppended() {
    return appended.sum();
  }

  public Receipts receipts() {
    return receipts;
  }

  /** Reads receipts, checkpoints and proofs. */
  public ReceiptLog log() {
    return log;
  }

  public KeyRing keys() {
    return keys;
  }

  public Checkpointer checkpointer() {
    return checkpointer;
  }

  /** Places queued receipts ({@link Receipts#enqueueAll}) in their logs. */
  public Sequencer sequencer() {
    return sequencer;
  }

  /** Starts the background sequencer and checkpointer. */
  public void start() {
    sequencer.start();
    checkpointer.start();
  }

  /** Stops the sequencer and the checkpointer after placing and signing what is pending. */
  @Override
  public void close() {
    sequencer.close();
    checkpointer.close();
    try {
      sequencer.drainAll();
      checkpointer.runOnce();
    } catch (RuntimeException e) {
      // Shutting down with the database gone: the next start signs what is pending.
    }
  }
}
