package io.maestro.evidence.bundle;

import io.maestro.evidence.ReceiptCollector;
import io.maestro.evidence.pack.RunReceipts;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptType;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a log's receipts of a time window through the provenance API and proves them under the
 * first signed checkpoint that covers the last of them, so the same window always gives the same
 * receipts, proofs and checkpoint (the compliance bundle and the compliance pack).
 */
public final class LogReads {
  private final Database db;
  private final Provenance provenance;

  public LogReads(Database db, Provenance provenance) {
    this.db = db;
    this.provenance = provenance;
  }

  /** The log's receipts of the window (of one type when given), in log order. */
  public List<Receipt> receipts(
      TenantScope scope, LogId log, BundleWindow window, Optional<ReceiptType> type) {
    List<Receipt> out = new ArrayList<>();
    long after = 0;
    while (true) {
      long from = after;
      ReceiptLog.Page page =
          db.inTransaction(
              scope,
              tx ->
                  provenance
                      .log()
                      .list(
                          tx,
                          log,
                          new ReceiptLog.Query(
                              type, Optional.of(window.from()), from, ReceiptLog.MAX_PAGE)));
      for (Receipt r : page.receipts()) {
        if (window.contains(r.time())) {
          out.add(r);
        }
      }
      if (page.nextAfterSeq().isEmpty()) {
        return out;
      }
      after = page.nextAfterSeq().get();
    }
  }

  /** The first checkpoint covering the last of {@code receipts}; empty when there are none. */
  public Optional<Checkpoint> covering(TenantScope scope, LogId log, List<Receipt> receipts) {
    if (receipts.isEmpty()) {
      return Optional.empty();
    }
    long last = receipts.stream().mapToLong(Receipt::seq).max().orElseThrow();
    return Optional.of(ReceiptCollector.covering(db, provenance, scope, log, last));
  }

  /** Each receipt with its inclusion proof under {@code cp}. */
  public List<RunReceipts.Proven> prove(
      TenantScope scope, LogId log, List<Receipt> receipts, Optional<Checkpoint> cp) {
    if (cp.isEmpty()) {
      return List.of();
    }
    return db.inTransaction(
        scope,
        tx -> {
          List<RunReceipts.Proven> out = new ArrayList<>();
          for (Receipt r : receipts) {
            out.add(
                new RunReceipts.Proven(
                    r, provenance.log().inclusionProof(tx, log, r.seq(), cp.get().size())));
          }
          return out;
        });
  }
}
