package io.maestro.evidence;

import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.evidence.pack.RunReceipts;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a run's receipts in the tenant's log (those about the run and about its steps) through the
 * provenance API's subject index, without reading the rest of the log, and proves each under the
 * first signed checkpoint that covers them all. A run's receipts are sequenced and signed within a
 * second or so of its end; until then the collector asks the checkpointer to sign and waits a
 * little, then reports {@code evidence_not_checkpointed}.
 */
public final class ReceiptCollector {
  private static final int WAIT_ROUNDS = 20;
  private static final long WAIT_MILLIS = 250;

  private final Database db;
  private final Provenance provenance;

  ReceiptCollector(Database db, Provenance provenance) {
    this.db = db;
    this.provenance = provenance;
  }

  RunReceipts collect(TenantId tenant, String runId) {
    LogId log = LogId.tenant(tenant);
    provenance.sequencer().drain(log);
    List<Receipt> mine = find(tenant, log, runId);
    if (mine.isEmpty()) {
      return new RunReceipts(List.of(), Optional.empty());
    }
    long last = mine.get(mine.size() - 1).seq();
    Checkpoint cp = covering(db, provenance, TenantScope.of(tenant), log, last);
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          List<RunReceipts.Proven> proven = new ArrayList<>();
          for (Receipt r : mine) {
            proven.add(
                new RunReceipts.Proven(
                    r, provenance.log().inclusionProof(tx, log, r.seq(), cp.size())));
          }
          return new RunReceipts(proven, Optional.of(cp));
        });
  }

  private List<Receipt> find(TenantId tenant, LogId log, String runId) {
    List<Receipt> mine = new ArrayList<>();
    long after = 0;
    while (true) {
      long from = after;
      ReceiptLog.Page page =
          db.inTransaction(
              TenantScope.of(tenant),
              tx ->
                  provenance
                      .log()
                      .list(tx, log, ReceiptLog.Query.ofRun(runId, from, ReceiptLog.MAX_PAGE)));
      for (Receipt r : page.receipts()) {
        if (about(r, runId)) {
          mine.add(r);
        }
      }
      if (page.nextAfterSeq().isEmpty()) {
        return mine;
      }
      after = page.nextAfterSeq().get();
    }
  }

  /** Receipts about the run itself or one of its steps ({@code <run>/<step>}). */
  static boolean about(Receipt r, String runId) {
    String kind = r.subject().kind();
    String id = r.subject().id();
    return (kind.equals("run") && id.equals(runId) && !r.action().equals("evidence.export"))
        || (kind.equals("step") && id.startsWith(runId + "/"));
  }

  /**
   * The first signed checkpoint of {@code log} that covers receipt {@code seq}, asking the
   * checkpointer to sign and waiting up to five seconds when none does yet.
   *
   * @throws MaestroException {@code evidence_not_checkpointed} when none comes
   */
  public static Checkpoint covering(
      Database db, Provenance provenance, TenantScope scope, LogId log, long seq) {
    for (int round = 0; round <= WAIT_ROUNDS; round++) {
      Optional<Checkpoint> cp =
          db.inTransaction(scope, tx -> provenance.log().checkpointCovering(tx, log, seq));
      if (cp.isPresent()) {
        return cp.get();
      }
      provenance.checkpointer().runOnce();
      if (round > 0) {
        try {
          Thread.sleep(WAIT_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw MaestroException.of(
        EvidenceErrors.NOT_CHECKPOINTED,
        "no signed checkpoint covers receipt " + seq + " yet; retry in a few seconds");
  }
}
