package io.maestro.provenance;

import static io.maestro.provenance.Fixtures.ACME;
import static io.maestro.provenance.Fixtures.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.TenantId;
import io.maestro.store.TenantScope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Queued receipts and the sequencer that places them in their logs, on every backend. */
abstract class SequencerContract extends DbFixture {

  private List<Receipts.Queued> enqueue(TenantId tenant, int from, int n) {
    List<ReceiptDraft> drafts = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      drafts.add(Fixtures.runStarted(tenant, i));
    }
    return db.inTransaction(
        TenantScope.of(tenant), tx -> provenance.receipts().enqueueAll(tx, drafts));
  }

  private List<Receipt> all(TenantId tenant) {
    return db.inTransaction(
            TenantScope.of(tenant),
            tx -> provenance.log().list(tx, LogId.tenant(tenant), ReceiptLog.Query.all(500)))
        .receipts();
  }

  @Test
  void queuedReceipts_areInNoLogUntilSequenced_thenGaplessChainedAndInQueueOrder() {
    append(Fixtures.runStarted(ACME, 0));
    List<Receipts.Queued> first = enqueue(ACME, 1, 3);
    List<Receipts.Queued> second = enqueue(ACME, 4, 2);
    assertThat(all(ACME)).hasSize(1);
    long backlog =
        db.<Long>inTransaction(
            TenantScope.of(ACME), tx -> provenance.log().unsignedReceipts(tx, LogId.tenant(ACME)));
    assertThat(backlog).as("the backlog counts queued receipts").isEqualTo(6L);

    assertThat(provenance.sequencer().drain(LogId.tenant(ACME))).isEqualTo(5);

    List<Receipt> log = all(ACME);
    assertThat(log).extracting(Receipt::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    List<String> ids = new ArrayList<>();
    first.forEach(q -> ids.add(q.id()));
    second.forEach(q -> ids.add(q.id()));
    assertThat(log.subList(1, 6)).extracting(Receipt::id).containsExactlyElementsOf(ids);
    for (int i = 1; i < log.size(); i++) {
      assertThat(log.get(i).prev()).isEqualTo(log.get(i - 1).digest());
      assertThat(log.get(i).digest()).isEqualTo(Hash.sha256(ReceiptJson.canonicalBody(log.get(i))));
      assertThat(log.get(i).time()).isEqualTo(first.get(0).time());
    }
    assertThat(provenance.sequencer().drain(LogId.tenant(ACME))).as("queue emptied").isZero();
  }

  @Test
  void sequencedReceipts_areCoveredByCheckpointsAndProvable() {
    enqueue(ACME, 1, 300); // more than one stored Merkle node's worth of leaves
    provenance.sequencer().drain(LogId.tenant(ACME));
    Checkpoint cp = checkpoint(LogId.tenant(ACME));
    assertThat(cp.size()).isEqualTo(300);
    Receipt r = all(ACME).get(41);
    InclusionProof proof =
        db.inTransaction(
            TenantScope.of(ACME),
            tx -> provenance.log().inclusionProof(tx, LogId.tenant(ACME), r.seq(), cp.size()));
    assertThat(proof.verify(r.leafHash(), cp.root())).isTrue();
  }

  @Test
  void aQueuedReceipt_rollsBackWithItsTransaction() {
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.of(ACME),
                    tx -> {
                      provenance.receipts().enqueueAll(tx, List.of(Fixtures.runStarted(ACME, 1)));
                      throw new IllegalStateException("the state change failed");
                    }))
        .hasMessage("the state change failed");
    assertThat(provenance.sequencer().drain(LogId.tenant(ACME))).isZero();
    assertThat(all(ACME)).isEmpty();
  }

  @Test
  void concurrentQueuersAndAppenders_endInOneGaplessChainPerLog() throws Exception {
    provenance.sequencer().start();
    try {
      ConcurrentLinkedQueue<String> queued = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int base = t * 100;
        TenantId tenant = t % 2 == 0 ? ACME : GLOBEX;
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int i = 0; i < 10; i++) {
                        if (i % 3 == 0) {
                          append(Fixtures.runStarted(tenant, base + i));
                        } else {
                          enqueue(tenant, base + i * 10, 2).forEach(q -> queued.add(q.id()));
                        }
                      }
                    }));
      }
      for (Thread t : threads) {
        t.join();
      }
      provenance.sequencer().drainAll();
      for (TenantId tenant : List.of(ACME, GLOBEX)) {
        List<Receipt> log = all(tenant);
        // 3 threads per tenant: 4 appends and 6 x 2 queued receipts each.
        assertThat(log).hasSize(3 * (4 + 12));
        assertThat(log)
            .extracting(Receipt::seq)
            .containsExactlyElementsOf(
                IntStream.rangeClosed(1, 48).mapToObj(i -> (long) i).toList());
        for (int i = 1; i < log.size(); i++) {
          assertThat(log.get(i).prev()).isEqualTo(log.get(i - 1).digest());
        }
      }
      List<String> placed = new ArrayList<>();
      all(ACME).forEach(r -> placed.add(r.id()));
      all(GLOBEX).forEach(r -> placed.add(r.id()));
      assertThat(placed).containsAll(queued).doesNotHaveDuplicates();
    } finally {
      provenance.sequencer().close();
    }
  }

  @Test
  void queueRowsOfPlacedReceipts_leftByACrash_areForgotten_andTheLogGoesOn() {
    enqueue(ACME, 1, 3);
    // What a crash of the embedded database can leave: the placed receipts' queue rows, back.
    List<Object[]> rows =
        db.inTransaction(
            TenantScope.of(ACME),
            tx ->
                tx.query(
                    "SELECT tenant_id, receipt_id, body, payload FROM provenance_receipt_queue",
                    rs ->
                        new Object[] {
                          rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)
                        }));
    assertThat(provenance.sequencer().drain(LogId.tenant(ACME))).isEqualTo(3);
    List<String> placed = all(ACME).stream().map(Receipt::id).toList();
    db.useTransaction(
        TenantScope.of(ACME),
        tx -> {
          for (Object[] row : rows) {
            tx.update(
                "INSERT INTO provenance_receipt_queue (tenant_id, receipt_id, body, payload)"
                    + " VALUES (?, ?, ?, ?)",
                row);
          }
        });
    assertThatThrownBy(() -> provenance.sequencer().drain(LogId.tenant(ACME)))
        .as("placing them again fails on the log's unique receipt id")
        .isInstanceOf(io.maestro.store.StoreException.class);

    assertThat(provenance.sequencer().forgetPlaced()).isEqualTo(3);
    assertThat(provenance.sequencer().forgetPlaced()).isZero();

    assertThat(all(ACME)).extracting(Receipt::id).containsExactlyElementsOf(placed);
    List<Receipts.Queued> later = enqueue(ACME, 4, 2);
    assertThat(provenance.sequencer().drain(LogId.tenant(ACME))).isEqualTo(2);
    List<Receipt> log = all(ACME);
    assertThat(log).extracting(Receipt::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(log.subList(3, 5))
        .extracting(Receipt::id)
        .containsExactly(later.get(0).id(), later.get(1).id());
    for (int i = 1; i < log.size(); i++) {
      assertThat(log.get(i).prev()).isEqualTo(log.get(i - 1).digest());
    }
  }
}
