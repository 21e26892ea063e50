package io.maestro.provenance;

import io.maestro.provenance.keys.PublicKeyInfo;
import java.time.Duration;
import java.util.Objects;

/**
 * How the provenance module runs.
 *
 * @param origin the installation's name in checkpoints and the signing key's name, a schema-less
 *     URL such as {@code maestro.local} (no spaces, no '+')
 * @param checkpointInterval the longest a log waits for a checkpoint (default 1 s)
 * @param checkpointEveryReceipts sign early once this many receipts are unsigned (default 1000)
 */
public record ProvenanceSettings(
    String origin, Duration checkpointInterval, int checkpointEveryReceipts) {

  public ProvenanceSettings {
    Objects.requireNonNull(origin, "origin");
    PublicKeyInfo.validateName(origin);
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
  }

  public static ProvenanceSettings defaults() {
    return new ProvenanceSettings("maestro.local", Duration.ofSeconds(1), 1000);
  }
}
