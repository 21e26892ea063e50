package io.maestro.provenance;

import static io.maestro.provenance.Fixtures.ACME;
import static io.maestro.provenance.Fixtures.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.TenantId;
import io.maestro.provenance.ReceiptDraft.Subject;
import io.maestro.store.TenantScope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's receipts found through the subject index, on every backend. */
abstract class RunReceiptIndexContract extends DbFixture {

  private static ReceiptDraft about(TenantId tenant, String kind, String id) {
    return ReceiptDraft.of(
        LogId.tenant(tenant),
        ReceiptTypes.RUN_STARTED,
        Fixtures.alice(tenant),
        "run.start",
        Subject.of(kind, id));
  }

  private void enqueue(TenantId tenant, ReceiptDraft... drafts) {
    db.useTransaction(
        TenantScope.of(tenant), tx -> provenance.receipts().enqueueAll(tx, List.of(drafts)));
    provenance.sequencer().drain(LogId.tenant(tenant));
  }

  private ReceiptLog.Page ofRun(TenantId tenant, String run, long after, int limit) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            provenance
                .log()
                .list(tx, LogId.tenant(tenant), ReceiptLog.Query.ofRun(run, after, limit)));
  }

  private List<Receipt> allOfRun(TenantId tenant, String run, int limit) {
    List<Receipt> out = new ArrayList<>();
    long after = 0;
    while (true) {
      ReceiptLog.Page p = ofRun(tenant, run, after, limit);
      out.addAll(p.receipts());
      if (p.nextAfterSeq().isEmpty()) {
        return out;
      }
      after = p.nextAfterSeq().get();
    }
  }

  @Test
  void runFilter_returnsTheRunsAndItsStepsReceipts_appendedOrSequenced_inLogOrder() {
    append(about(ACME, "run", "run_a"));
    append(about(ACME, "run", "run_b"));
    enqueue(
        ACME,
        about(ACME, "step", "run_a/build"),
        about(ACME, "step", "run_b/build"),
        about(ACME, "step", "run_ab/build"));
    append(about(ACME, "workflow", "run_a")); // shares the root, is not about the run
    enqueue(ACME, about(ACME, "run", "run_a"));
    append(about(GLOBEX, "run", "run_a")); // the same id in another tenant's log

    List<Receipt> a = allOfRun(ACME, "run_a", 500);
    assertThat(a)
        .extracting(r -> r.subject().kind() + " " + r.subject().id())
        .containsExactly("run run_a", "step run_a/build", "run run_a");
    assertThat(a).extracting(Receipt::seq).containsExactly(1L, 3L, 7L);
    assertThat(allOfRun(GLOBEX, "run_a", 500)).extracting(Receipt::seq).containsExactly(1L);
    assertThat(allOfRun(ACME, "run_none", 500)).isEmpty();
  }

  @Test
  void runFilter_pagesWithItsCursor() {
    for (int i = 0; i < 7; i++) {
      append(about(ACME, "step", "run_a/s" + i));
      append(about(ACME, "step", "run_b/s" + i));
    }
    ReceiptLog.Page first = ofRun(ACME, "run_a", 0, 3);
    assertThat(first.receipts()).extracting(Receipt::seq).containsExactly(1L, 3L, 5L);
    assertThat(first.nextAfterSeq()).contains(5L);
    assertThat(allOfRun(ACME, "run_a", 3)).hasSize(7);
  }

  @Test
  void runFilter_refusesAStepId() {
    assertThatThrownBy(() -> ReceiptLog.Query.ofRun("run_a/build", 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * The migration indexes receipts placed before the index existed by reading their bodies: run its
   * statement on a log whose index was emptied and expect what the write path wrote.
   */
  @Test
  void migrationBackfill_indexesExistingReceiptsAsTheWritePathDoes() throws IOException {
    append(about(ACME, "run", "run_a"));
    enqueue(ACME, about(ACME, "step", "run_a/build"), about(ACME, "workflow", "deploy@1"));
    append(Fixtures.runStarted(ACME, 4));
    List<String> written = indexRows();
    assertThat(written).hasSize(4);

    rerunBackfill("provenance_receipt_subject", "V202612040140__provenance_receipt_subject.sql");
    assertThat(indexRows()).isEqualTo(written);
    assertThat(allOfRun(ACME, "run_a", 500)).hasSize(2);
  }

  private List<String> indexRows() {
    return db.inTransaction(
        TenantScope.platform(),
        tx ->
            tx.query(
                "SELECT tenant_id, seq, subject_kind, subject_id, subject_root"
                    + " FROM provenance_receipt_subject ORDER BY tenant_id, seq",
                rs ->
                    rs.getString(1)
                        + " "
                        + rs.getLong(2)
                        + " "
                        + rs.getString(3)
                        + " "
                        + rs.getString(4)
                        + " "
                        + rs.getString(5)));
  }
}
