package io.maestro.provenance.merkle;

import io.maestro.provenance.Hash;
import java.util.ArrayList;
import java.util.List;

/**
 * The right frontier of a Merkle tree of size {@code n}: the roots of the perfect subtrees that the
 * binary representation of {@code n} decomposes the leaves into, largest first (at most 64 hashes).
 * It is all a log needs to append a leaf and to compute its root, so appending costs O(log n)
 * hashing and no reads of earlier leaves.
 *
 * <p>Mutable and not thread-safe; the log's head row holds its serialized form.
 */
public final class CompactRange {
  private long size;
  private final List<Hash> hashes;

  private CompactRange(long size, List<Hash> hashes) {
    this.size = size;
    this.hashes = hashes;
    if (hashes.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException(
          "a frontier of size "
              + size
              + " has "
              + Long.bitCount(size)
              + " hashes, not "
              + hashes.size());
    }
  }

  public static CompactRange empty() {
    return new CompactRange(0, new ArrayList<>());
  }

  /** A frontier from its hashes, largest subtree first. */
  public static CompactRange of(long size, List<Hash> hashes) {
    return new CompactRange(size, new ArrayList<>(hashes));
  }

  /** Reads the form written by {@link #serialize()}. */
  public static CompactRange deserialize(long size, byte[] data) {
    if (data.length % Hash.LENGTH != 0) {
      throw new IllegalArgumentException("frontier bytes are not a multiple of 32");
    }
    List<Hash> hashes = new ArrayList<>(data.length / Hash.LENGTH);
    for (int off = 0; off < data.length; off += Hash.LENGTH) {
      byte[] h = new byte[Hash.LENGTH];
      System.arraycopy(data, off, h, 0, Hash.LENGTH);
      hashes.add(Hash.of(h));
    }
    return new CompactRange(size, hashes);
  }

  /** The hashes concatenated, largest subtree first. */
  public byte[] serialize() {
    byte[] out = new byte[hashes.size() * Hash.LENGTH];
    for (int i = 0; i < hashes.size(); i++) {
      System.arraycopy(hashes.get(i).bytes(), 0, out, i * Hash.LENGTH, Hash.LENGTH);
    }
    return out;
  }

  public long size() {
    return size;
  }

  public List<Hash> hashes() {
    return List.copyOf(hashes);
  }

  /**
   * Appends a leaf hash. {@code completed} hears of every perfect subtree this append completes
   * (level 1 and above), so a log can store the nodes that make proofs cheap later.
   */
  public void append(Hash leafHash, NodeSink completed) {
    appendSubtree(leafHash, 0, completed);
  }

  /**
   * Appends the root of a perfect subtree of height {@code level} that starts where the tree
   * currently ends. That is only possible when the current size is a multiple of {@code 2^level};
   * verifiers use it to finish a tree from the subtrees of an export's suffix.
   */
  public void appendSubtree(Hash root, int level, NodeSink completed) {
    if (level < 0 || level > 62) {
      throw new IllegalArgumentException("subtree level out of range: " + level);
    }
    if ((size & ((1L << level) - 1)) != 0) {
      throw new IllegalArgumentException(
          "a subtree of height " + level + " cannot start at leaf " + size);
    }
    Hash carry = root;
    int height = level;
    long index = size >>> level;
    // Merge while the frontier's smallest subtree is the left sibling of the carried one.
    while ((index & 1) == 1) {
      Hash left = hashes.remove(hashes.size() - 1);
      carry = MerkleHash.node(left, carry);
      height++;
      index >>>= 1;
      completed.completed(height, index, carry);
    }
    hashes.add(carry);
    size += 1L << level;
  }

  /** The root of the tree of the current size ({@code SHA-256("")} when empty). */
  public Hash root() {
    if (hashes.isEmpty()) {
      return MerkleHash.EMPTY_ROOT;
    }
    Hash h = hashes.get(hashes.size() - 1);
    for (int i = hashes.size() - 2; i >= 0; i--) {
      h = MerkleHash.node(hashes.get(i), h);
    }
    return h;
  }

  public CompactRange copy() {
    return new CompactRange(size, new ArrayList<>(hashes));
  }

  /** Receives the perfect subtrees an append completes. */
  @FunctionalInterface
  public interface NodeSink {
    NodeSink NONE = (level, index, hash) -> {};

    /**
     * @param level the subtree's height (1 = a node over two leaves)
     * @param index its position among the subtrees of that height, from the left
     */
    void completed(int level, long index, Hash hash);
  }
}
