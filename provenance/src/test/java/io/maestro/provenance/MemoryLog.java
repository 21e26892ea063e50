package io.maestro.provenance;

import io.maestro.core.Ids;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.merkle.CompactRange;
import io.maestro.provenance.merkle.Proofs;
import io.maestro.provenance.merkle.SubtreeSource;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A log held in memory, built with the same code as the database log (receipt creation, frontier,
 * export writer), for test vectors and benchmarks that must not depend on a database.
 */
final class MemoryLog {
  final LogId log;
  final String origin;
  private final Ids ids;
  private final Clock clock;
  private final CompactRange frontier = CompactRange.empty();
  private final List<Receipt> receipts = new ArrayList<>();
  private final List<Hash> leaves = new ArrayList<>();
  private final List<Checkpoint> checkpoints = new ArrayList<>();
  private Hash head = Hash.ZERO;
  private final boolean keepReceipts;

  MemoryLog(LogId log, String originPrefix, Ids ids, Clock clock, boolean keepReceipts) {
    this.log = log;
    this.origin = Checkpoint.origin(originPrefix, log);
    this.ids = ids;
    this.clock = clock;
    this.keepReceipts = keepReceipts;
  }

  Receipt append(ReceiptDraft draft) {
    Receipt r =
        ReceiptJson.create(ids.next("rcp"), frontier.size() + 1, clock.instant(), draft, head);
    frontier.append(r.leafHash(), CompactRange.NodeSink.NONE);
    leaves.add(r.leafHash());
    if (keepReceipts) {
      receipts.add(r);
    }
    head = r.digest();
    return r;
  }

  Checkpoint checkpoint(Signer signer) {
    Checkpoint c =
        Checkpoint.sign(origin, frontier.size(), frontier.root(), clock.instant(), signer);
    checkpoints.add(c);
    return c;
  }

  long size() {
    return frontier.size();
  }

  List<Receipt> receipts() {
    return List.copyOf(receipts);
  }

  SubtreeSource source() {
    return Proofs.fromLeaves(leaves);
  }

  InclusionProof inclusion(long seq, long treeSize) {
    return new InclusionProof(
        seq - 1, treeSize, Proofs.inclusion(seq - 1, treeSize, Proofs.fromLeaves(leaves)));
  }

  /** Writes an export of every receipt under the latest checkpoint (needs kept receipts). */
  void export(OutputStream out) {
    Checkpoint anchor = checkpoints.get(checkpoints.size() - 1);
    export(out, receipts, anchor);
  }

  /** Writes an export of {@code rs} (1..n) against {@code anchor}, with all checkpoints. */
  void export(OutputStream out, Iterable<Receipt> rs, Checkpoint anchor) {
    try (ExportWriter w = new ExportWriter(out)) {
      long to = anchor.size();
      w.header(origin, log, 1, to, anchor.size());
      Checkpoint prev = null;
      for (Checkpoint c : checkpoints) {
        if (prev != null) {
          w.consistency(
              new ConsistencyProof(
                  prev.size(), c.size(), Proofs.consistency(prev.size(), c.size(), source())));
        }
        w.checkpoint(c);
        prev = c;
      }
      w.prefix(0, List.of());
      for (Receipt r : rs) {
        w.receipt(r);
      }
      w.suffix(to, anchor.size(), ReceiptLog.suffix(to, anchor.size(), source()));
      w.end();
    }
  }
}
