package io.maestro.provenance;

import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.merkle.CompactRange;
import io.maestro.provenance.merkle.MerkleHash;
import io.maestro.provenance.merkle.Proofs;
import io.maestro.provenance.merkle.SubtreeSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a large export without a database and in bounded memory: the receipts are generated twice
 * from the same seed (once to learn the checkpoints, once to write them), and the leaf hashes live
 * in one byte array (32 bytes per receipt).
 */
public final class BenchExports {
  private BenchExports() {}

  /** Writes an export of {@code n} receipts with a checkpoint every {@code every} receipts. */
  public static void write(Path file, int n, int every, Signer signer) throws IOException {
    LogId log = LogId.tenant(TenantId.of("bench"));
    String origin = Checkpoint.origin("maestro.bench", log);
    byte[] leaves = new byte[n * Hash.LENGTH];
    List<Checkpoint> checkpoints = new ArrayList<>();
    // Pass 1: leaves and checkpoints.
    Generator g = new Generator(log);
    CompactRange range = CompactRange.empty();
    for (int i = 0; i < n; i++) {
      Receipt r = g.next();
      Hash leaf = r.leafHash();
      System.arraycopy(leaf.bytes(), 0, leaves, i * Hash.LENGTH, Hash.LENGTH);
      range.append(leaf, CompactRange.NodeSink.NONE);
      if ((i + 1) % every == 0 || i + 1 == n) {
        checkpoints.add(Checkpoint.sign(origin, i + 1, range.root(), g.clock.instant(), signer));
      }
    }
    SubtreeSource source = new ArraySource(leaves);
    // Pass 2: the same receipts again, written out.
    g = new Generator(log);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        ExportWriter w = new ExportWriter(out)) {
      w.header(origin, log, 1, n, n);
      Checkpoint prev = null;
      for (Checkpoint c : checkpoints) {
        if (prev != null) {
          w.consistency(
              new ConsistencyProof(
                  prev.size(), c.size(), Proofs.consistency(prev.size(), c.size(), source)));
        }
        w.checkpoint(c);
        prev = c;
      }
      w.prefix(0, List.of());
      for (int i = 0; i < n; i++) {
        w.receipt(g.next());
      }
      w.suffix(n, n, List.of());
      w.end();
    }
  }

  private static final class Generator {
    final TestClock clock = new TestClock(Instant.parse("2026-11-22T00:00:00Z"));
    final Ids ids = new Ids(clock, new SplittableRandom(99));
    final LogId log;
    long seq;
    Hash prev = Hash.ZERO;

    Generator(LogId log) {
      this.log = log;
    }

    Receipt next() {
      seq++;
      clock.advance(Duration.ofMillis(1));
      Receipt r =
          ReceiptJson.create(
              ids.next("rcp"),
              seq,
              clock.instant(),
              Fixtures.runStarted(((LogId.Tenant) log).id(), (int) seq),
              prev);
      prev = r.digest();
      return r;
    }
  }

  private record ArraySource(byte[] leaves) implements SubtreeSource {
    @Override
    public Hash perfect(int level, long index) {
      return hash(index << level, 1L << level);
    }

    private Hash hash(long start, long width) {
      if (width == 1) {
        byte[] h = new byte[Hash.LENGTH];
        System.arraycopy(leaves, (int) start * Hash.LENGTH, h, 0, Hash.LENGTH);
        return Hash.of(h);
      }
      return MerkleHash.node(hash(start, width / 2), hash(start + width / 2, width / 2));
    }
  }
}
