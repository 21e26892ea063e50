package io.maestro.lifecycle.retention;

import java.util.Locale;
import java.util.Optional;

/**
 * A class of tenant data with its own retention rule. Each is deleted (or, for payloads and inputs,
 * erased) by the module that owns it, through a {@link RetentionTarget}; receipts themselves are
 * never deleted.
 */
public enum DataClass {
  /** Finished runs (by when they ended) with their steps, step outputs, logs and approvals. */
  RUNS,
  /** The log lines of finished runs; the runs and their step outputs stay. */
  RUN_LOGS,
  /** Raw metered events (by when they occurred); rollups and cost lines stay. */
  METERING_EVENTS,
  /** Receipt payloads; the receipts, their digests and the chain stay (tombstones). */
  RECEIPT_PAYLOADS,
  /** The recorded inputs of policy decisions; the decisions and their input digests stay. */
  DECISION_INPUTS,
  /**
   * Stored disclosure packs (the evidence module's exports and their files, by when they were
   * made); their {@code evidence.exported} receipts stay.
   */
  EVIDENCE_PACKS;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<DataClass> parse(String text) {
    for (DataClass c : values()) {
      if (c.wire().equals(text)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
