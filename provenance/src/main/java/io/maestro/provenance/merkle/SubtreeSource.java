package io.maestro.provenance.merkle;

import io.maestro.provenance.Hash;

/**
 * Where proof generation reads the hashes of perfect subtrees from: an in-memory list of leaves, or
 * the log's tables (stored nodes of height 8 and up, leaf hashes below that).
 */
@FunctionalInterface
public interface SubtreeSource {
  /**
   * The root of the perfect subtree of height {@code level} covering leaves {@code [index *
   * 2^level, (index + 1) * 2^level)}. Callers only ask for subtrees inside the tree.
   */
  Hash perfect(int level, long index);

  /**
   * The RFC 9162 hash of the leaves {@code [start, end)} where {@code start} is a multiple of the
   * largest power of two below {@code end - start}, as every range in a proof is: the range splits
   * into perfect subtrees of decreasing size, combined right to left.
   */
  default Hash range(long start, long end) {
    if (end <= start) {
      throw new IllegalArgumentException("empty range " + start + ".." + end);
    }
    long len = end - start;
    int pieces = Long.bitCount(len);
    Hash[] parts = new Hash[pieces];
    long pos = start;
    int i = 0;
    for (int bit = 63; bit >= 0; bit--) {
      long width = 1L << bit;
      if ((len & width) != 0) {
        parts[i++] = perfect(bit, pos >>> bit);
        pos += width;
      }
    }
    Hash h = parts[pieces - 1];
    for (int j = pieces - 2; j >= 0; j--) {
      h = MerkleHash.node(parts[j], h);
    }
    return h;
  }
}
