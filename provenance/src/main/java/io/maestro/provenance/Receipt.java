package io.maestro.provenance;

import io.maestro.core.Decision;
import io.maestro.provenance.ReceiptDraft.ActorRef;
import io.maestro.provenance.ReceiptDraft.Subject;
import io.maestro.provenance.merkle.MerkleHash;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An appended receipt: immutable, numbered ({@code seq} starts at 1 and has no gaps in its log),
 * chained to its predecessor by {@code prev}, and identified by {@link #digest()}, the SHA-256 of
 * its RFC 8785 canonical JSON without the {@code payload} member ({@link ReceiptJson}).
 *
 * @param payload the canonical JSON of the payload, empty when purged or kept elsewhere
 */
public record Receipt(
    String id,
    LogId log,
    long seq,
    ReceiptType type,
    Instant time,
    ActorRef actor,
    String action,
    Subject subject,
    Optional<Decision> decision,
    Hash payloadDigest,
    Optional<String> payload,
    Hash prev,
    Hash digest) {

  public Receipt {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(log, "log");
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1");
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(payloadDigest, "payloadDigest");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(prev, "prev");
    Objects.requireNonNull(digest, "digest");
  }

  /** The receipt's position in its Merkle tree (seq − 1). */
  public long leafIndex() {
    return seq - 1;
  }

  /** The RFC 9162 leaf hash: {@code SHA-256(0x00 || digest)}. */
  public Hash leafHash() {
    return MerkleHash.leaf(digest);
  }
}
