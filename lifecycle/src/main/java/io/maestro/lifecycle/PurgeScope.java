package io.maestro.lifecycle;

import java.util.Locale;
import java.util.Optional;

/**
 * What a purge deletes. Each owning module decides which of its rows a scope covers ({@link
 * PurgeTarget}); receipts are never deleted, their payloads are erased as tombstones.
 */
public enum PurgeScope {
  /** Finished runs (ended before the cut-off) with their steps, logs, approvals and queue rows. */
  RUNS,
  /** Raw metered events before the cut-off (rollups and cost lines stay). */
  METERING,
  /** Receipt payloads before the cut-off; the receipts, digests and chain stay. */
  RECEIPT_PAYLOADS,
  /** Everything of the tenant the modules can delete: offboarding. Needs no cut-off. */
  TENANT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PurgeScope> parse(String text) {
    for (PurgeScope s : values()) {
      if (s.wire().equals(text)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
