package io.maestro.provenance.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.InclusionProof;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptJson;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.VerificationFailure.Check;

/**
 * Verifies one receipt offline: its shape and payload digest, a checkpoint signed by a trusted key
 * for the receipt's log, and an inclusion proof of the receipt under that checkpoint's root. Needs
 * nothing but the public keys. Stateless and thread-safe.
 */
public final class ReceiptVerifier {
  private ReceiptVerifier() {}

  /** What was established. */
  public record Verified(Receipt receipt, Checkpoint checkpoint) {}

  public static Verified verify(
      JsonNode receiptJson, InclusionProof proof, String checkpointNote, TrustedKeys keys)
      throws VerificationFailure {
    Receipt r;
    try {
      r = ReceiptJson.parse(receiptJson);
    } catch (IllegalArgumentException e) {
      Check check =
          e.getMessage() != null && e.getMessage().contains("payload")
              ? Check.PAYLOAD
              : Check.RECEIPT;
      throw new VerificationFailure(check, "the receipt", e.getMessage());
    }
    String where = "receipt seq " + r.seq();
    Checkpoint cp;
    try {
      cp = Checkpoint.verify(checkpointNote, keys);
    } catch (IllegalArgumentException e) {
      throw new VerificationFailure(Check.CHECKPOINT_SIGNATURE, "the checkpoint", e.getMessage());
    }
    if (!cp.origin().endsWith("/" + r.log().originSuffix())) {
      throw new VerificationFailure(
          Check.INCLUSION, where, "the checkpoint is for " + cp.origin() + ", not for " + r.log());
    }
    if (proof.treeSize() != cp.size()) {
      throw new VerificationFailure(
          Check.INCLUSION,
          where,
          "the proof is for a tree of " + proof.treeSize() + ", the checkpoint has " + cp.size());
    }
    if (proof.leafIndex() != r.leafIndex()) {
      throw new VerificationFailure(
          Check.INCLUSION,
          where,
          "the proof is for leaf " + proof.leafIndex() + ", the receipt is leaf " + r.leafIndex());
    }
    if (!proof.verify(r.leafHash(), cp.root())) {
      throw new VerificationFailure(
          Check.INCLUSION,
          where,
          "the receipt is not in the tree of checkpoint size "
              + cp.size()
              + " (it or the proof was altered)");
    }
    return new Verified(r, cp);
  }
}
