package io.maestro.provenance.merkle;

import io.maestro.provenance.Hash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Inclusion and consistency proofs of RFC 9162, section 2.1.3 and 2.1.4: generation from a {@link
 * SubtreeSource} and verification from nothing but the proof, the leaf hash and the roots.
 *
 * <p>Generation reads O(log n) subtree hashes. Verification follows the RFC's iterative algorithms
 * and rejects proofs with extra or missing hashes. Thread-safe and stateless.
 */
public final class Proofs {
  private Proofs() {}

  /** The audit path of leaf {@code index} in the tree of size {@code size}, leaf level first. */
  public static List<Hash> inclusion(long index, long size, SubtreeSource source) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of size " + size);
    }
    List<Hash> topDown = new ArrayList<>();
    long start = 0;
    long end = size;
    long m = index;
    while (end - start > 1) {
      long k = largestPowerOfTwoBelow(end - start);
      if (m < k) {
        topDown.add(source.range(start + k, end));
        end = start + k;
      } else {
        topDown.add(source.range(start, start + k));
        start += k;
        m -= k;
      }
    }
    Collections.reverse(topDown);
    return List.copyOf(topDown);
  }

  /** The proof that the tree of size {@code from} is a prefix of the tree of size {@code to}. */
  public static List<Hash> consistency(long from, long to, SubtreeSource source) {
    if (from < 0 || from > to) {
      throw new IllegalArgumentException("no consistency proof from size " + from + " to " + to);
    }
    if (from == 0 || from == to) {
      return List.of();
    }
    List<Hash> topDown = new ArrayList<>();
    long start = 0;
    long end = to;
    long m = from;
    boolean whole = true;
    while (m != end - start) {
      long k = largestPowerOfTwoBelow(end - start);
      if (m <= k) {
        topDown.add(source.range(start + k, end));
        end = start + k;
      } else {
        topDown.add(source.range(start, start + k));
        start += k;
        m -= k;
        whole = false;
      }
    }
    if (!whole) {
      topDown.add(source.range(start, end));
    }
    Collections.reverse(topDown);
    return List.copyOf(topDown);
  }

  /** RFC 9162, 2.1.3.2: does {@code proof} show leaf {@code index} under {@code root}? */
  public static boolean verifyInclusion(
      long index, long size, Hash leafHash, List<Hash> proof, Hash root) {
    if (index < 0 || index >= size) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    Hash r = leafHash;
    for (Hash p : proof) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHash.node(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        r = MerkleHash.node(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && r.equals(root);
  }

  /**
   * RFC 9162, 2.1.4.2: is the tree ({@code from}, {@code fromRoot}) a prefix of ({@code to}, …)?
   */
  public static boolean verifyConsistency(
      long from, long to, List<Hash> proof, Hash fromRoot, Hash toRoot) {
    if (from < 0 || from > to) {
      return false;
    }
    if (from == to) {
      return proof.isEmpty() && fromRoot.equals(toRoot);
    }
    if (from == 0) {
      return proof.isEmpty() && fromRoot.equals(MerkleHash.EMPTY_ROOT);
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<Hash> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(from) == 1) {
      path.add(fromRoot);
    }
    path.addAll(proof);
    long fn = from - 1;
    long sn = to - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    Hash fr = path.get(0);
    Hash sr = path.get(0);
    for (int i = 1; i < path.size(); i++) {
      Hash c = path.get(i);
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHash.node(c, fr);
        sr = MerkleHash.node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = MerkleHash.node(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && fr.equals(fromRoot) && sr.equals(toRoot);
  }

  /** The largest power of two strictly below {@code n} (n ≥ 2). */
  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }

  /** A source over an in-memory list of leaf hashes; fine for tests and small trees. */
  public static SubtreeSource fromLeaves(List<Hash> leaves) {
    return new SubtreeSource() {
      @Override
      public Hash perfect(int level, long index) {
        long start = index << level;
        return perfectFrom(leaves, (int) start, 1 << level);
      }
    };
  }

  private static Hash perfectFrom(List<Hash> leaves, int start, int width) {
    if (width == 1) {
      return leaves.get(start);
    }
    int half = width / 2;
    return MerkleHash.node(
        perfectFrom(leaves, start, half), perfectFrom(leaves, start + half, half));
  }
}
