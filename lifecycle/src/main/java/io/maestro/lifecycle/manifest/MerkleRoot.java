package io.maestro.lifecycle.manifest;

import io.maestro.provenance.Hash;
import io.maestro.provenance.merkle.CompactRange;
import io.maestro.provenance.merkle.MerkleHash;
import java.util.List;

/**
 * The RFC 9162 Merkle tree head over a list of item digests (each leaf is {@code H(0x00 ||
 * digest)}, the 32 digest bytes), the same hashing as the receipt log's: a holder of one deleted
 * row can prove its digest was in the purge with an inclusion proof against the signed root.
 */
public final class MerkleRoot {
  private MerkleRoot() {}

  /** The root over {@code digests} ({@code sha256:<hex>} each), in order. */
  public static Hash of(List<String> digests) {
    CompactRange range = CompactRange.empty();
    for (String d : digests) {
      range.append(MerkleHash.leaf(Hash.parse(d).bytes()), CompactRange.NodeSink.NONE);
    }
    return range.root();
  }
}
