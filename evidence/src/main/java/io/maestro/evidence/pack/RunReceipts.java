package io.maestro.evidence.pack;

import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.InclusionProof;
import io.maestro.provenance.Receipt;
import java.util.List;
import java.util.Optional;

/**
 * A run's receipts with their inclusion proofs under one signed checkpoint, the first checkpoint
 * that covers them all (so the same run always packs with the same checkpoint).
 *
 * @param checkpoint empty only when the run has no receipts
 */
public record RunReceipts(List<Proven> receipts, Optional<Checkpoint> checkpoint) {
  public RunReceipts {
    receipts = List.copyOf(receipts);
  }

  /** A receipt and the proof of its inclusion under {@link #checkpoint}. */
  public record Proven(Receipt receipt, InclusionProof proof) {}
}
