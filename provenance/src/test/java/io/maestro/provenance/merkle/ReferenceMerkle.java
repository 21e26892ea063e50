package io.maestro.provenance.merkle;

import io.maestro.provenance.Hash;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162's recursive definitions (MTH, PATH, PROOF/SUBPROOF) transcribed literally over lists of
 * leaf hashes: slow and obviously right, the oracle for the property tests.
 */
final class ReferenceMerkle {
  private ReferenceMerkle() {}

  static Hash mth(List<Hash> d) {
    int n = d.size();
    if (n == 0) {
      return MerkleHash.EMPTY_ROOT;
    }
    if (n == 1) {
      return d.get(0);
    }
    int k = k(n);
    return MerkleHash.node(mth(d.subList(0, k)), mth(d.subList(k, n)));
  }

  static List<Hash> path(int m, List<Hash> d) {
    int n = d.size();
    List<Hash> out = new ArrayList<>();
    if (n <= 1) {
      return out;
    }
    int k = k(n);
    if (m < k) {
      out.addAll(path(m, d.subList(0, k)));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(path(m - k, d.subList(k, n)));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  static List<Hash> proof(int m, List<Hash> d) {
    return subproof(m, d, true);
  }

  private static List<Hash> subproof(int m, List<Hash> d, boolean b) {
    int n = d.size();
    List<Hash> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(mth(d));
      }
      return out;
    }
    int k = k(n);
    if (m <= k) {
      out.addAll(subproof(m, d.subList(0, k), b));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(subproof(m - k, d.subList(k, n), false));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  /** The largest power of two smaller than n. */
  private static int k(int n) {
    int k = 1;
    while (k << 1 < n) {
      k <<= 1;
    }
    return k;
  }

  static List<Hash> leaves(int n, int seed) {
    List<Hash> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          MerkleHash.leaf(
              ("leaf " + seed + "/" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return out;
  }
}
