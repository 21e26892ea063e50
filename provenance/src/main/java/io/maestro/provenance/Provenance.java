package io.maestro.provenance;

import io.maestro.core.Ids;
import io.maestro.provenance.keys.KeyStore;
import io.maestro.store.Database;
import java.security.SecureRandom;
import java.time.Clock;
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

  private Provenance(
      ProvenanceSettings settings,
      Receipts receipts,
      ReceiptLog log,
      KeyRing keys,
      Checkpointer checkpointer) {
    this.settings = settings;
    this.receipts = receipts;
    this.log = log;
    this.keys = keys;
    this.checkpointer = checkpointer;
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
    KeyRing keys = KeyRing.open(keyStore, settings.origin(), clock, secureRandom);
    ReceiptLog log = new ReceiptLog(settings.origin());
    Checkpointer checkpointer =
        new Checkpointer(
            db,
            keys,
            log,
            clock,
            settings.checkpointInterval(),
            settings.checkpointEveryReceipts());
    Receipts receipts = new Receipts(new Ids(clock, random), clock, checkpointer);
    return new Provenance(settings, receipts, log, keys, checkpointer);
  }

  public ProvenanceSettings settings() {
    return settings;
  }

  /** Writes receipts ({@link Receipts#append}). */
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

  /** Starts the background checkpointer. */
  public void start() {
    checkpointer.start();
  }

  /** Stops the checkpointer after signing what is pending. */
  @Override
  public void close() {
    checkpointer.close();
    try {
      checkpointer.runOnce();
    } catch (RuntimeException e) {
      // Shutting down with the database gone: the next start signs what is pending.
    }
  }
}
