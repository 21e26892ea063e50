package io.maestro.provenance.merkle;

import io.maestro.provenance.Hash;
import java.security.MessageDigest;

/**
 * The hashing of RFC 9162 (Certificate Transparency 2.0), section 2.1.1: a leaf is {@code
 * SHA-256(0x00 || data)}, an interior node is {@code SHA-256(0x01 || left || right)}, and the empty
 * tree's root is {@code SHA-256("")}. The two prefixes keep a leaf from ever being passed off as a
 * node (second-preimage resistance).
 *
 * <p>Thread-safe: each thread keeps its own {@link MessageDigest}.
 */
public final class MerkleHash {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Hash::newDigest);

  public static final Hash EMPTY_ROOT = Hash.sha256(new byte[0]);

  private MerkleHash() {}

  /** The leaf hash of a log entry. In Maestro's logs the entry is the receipt's 32-byte digest. */
  public static Hash leaf(Hash entry) {
    MessageDigest md = SHA256.get();
    md.update((byte) 0x00);
    entry.updateDigest(md);
    return Hash.of(md.digest());
  }

  /** The leaf hash of arbitrary entry bytes. */
  public static Hash leaf(byte[] entry) {
    MessageDigest md = SHA256.get();
    md.update((byte) 0x00);
    md.update(entry);
    return Hash.of(md.digest());
  }

  /** The hash of an interior node. */
  public static Hash node(Hash left, Hash right) {
    MessageDigest md = SHA256.get();
    md.update((byte) 0x01);
    left.updateDigest(md);
    right.updateDigest(md);
    return Hash.of(md.digest());
  }
}
