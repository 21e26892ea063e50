package io.maestro.provenance;

import static io.maestro.provenance.Fixtures.ACME;
import static io.maestro.provenance.Fixtures.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.ReceiptDraft.Subject;
import io.maestro.provenance.merkle.MerkleHash;
import io.maestro.provenance.merkle.Proofs;
import io.maestro.store.TenantScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Appending and reading receipts, on every backend. */
abstract class ReceiptsContract extends DbFixture {

  @Test
  void append_assignsGaplessSeqAndChainsEachReceiptToThePrevious() {
    Receipt first = append(Fixtures.runStarted(ACME, 1));
    Receipt second = append(Fixtures.runStarted(ACME, 2));
    Receipt other = append(Fixtures.runStarted(GLOBEX, 1));

    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.prev()).isEqualTo(Hash.ZERO);
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.prev()).isEqualTo(first.digest());
    assertThat(other.seq()).as("each tenant has its own log").isEqualTo(1);
    assertThat(first.id()).startsWith("rcp_");
    assertThat(first.digest()).isEqualTo(Hash.sha256(ReceiptJson.canonicalBody(first)));
  }

  @Test
  void append_rollsBackWithTheCallersTransaction() {
    append(Fixtures.runStarted(ACME, 1));
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.of(ACME),
                    tx -> {
                      provenance.receipts().append(tx, Fixtures.runStarted(ACME, 2));
                      throw new IllegalStateException("the state change failed");
                    }))
        .hasMessage("the state change failed");
    Receipt next = append(Fixtures.runStarted(ACME, 3));
    assertThat(next.seq()).as("the rolled-back receipt left no gap").isEqualTo(2);
  }

  @Test
  void append_rejectsForeignTenant() {
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.of(ACME),
                    tx -> provenance.receipts().append(tx, Fixtures.runStarted(GLOBEX, 1))))
        .isInstanceOf(MaestroException.class)
        .satisfies(
            e -> assertThat(((MaestroException) e).code()).isEqualTo(ProvenanceErrors.FOREIGN_LOG));
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.of(ACME),
                    tx ->
                        provenance
                            .receipts()
                            .append(
                                tx,
                                ReceiptDraft.of(
                                    LogId.platform(),
                                    ReceiptTypes.CONFIG_CHANGED,
                                    Actor.system("test"),
                                    "config.set",
                                    Subject.of("config", "x")))))
        .isInstanceOf(MaestroException.class);
  }

  @Test
  void platformLog_isSeparateAndItsReceiptsHaveNoTenant() {
    Receipt p =
        append(
            ReceiptDraft.of(
                LogId.platform(),
                ReceiptTypes.TENANT_PROVISIONED,
                Actor.system("provisioner"),
                "tenant.provision",
                Subject.of("tenant", "acme")));
    assertThat(p.seq()).isEqualTo(1);
    assertThat(ReceiptJson.toJson(p, true).get("tenant").isNull()).isTrue();
    Optional<Receipt> read =
        db.inTransaction(
            TenantScope.platform(), tx -> provenance.log().find(tx, LogId.platform(), p.id()));
    assertThat(read).contains(p);
  }

  @Test
  void find_returnsTheStoredReceiptWithItsPayload() {
    Receipt r = append(Fixtures.runStarted(ACME, 5));
    Receipt read =
        db.inTransaction(
                TenantScope.of(ACME), tx -> provenance.log().find(tx, LogId.tenant(ACME), r.id()))
            .orElseThrow();
    assertThat(read).isEqualTo(r);
    assertThat(read.payload()).contains("{\"n\":5,\"workflow\":\"deploy\"}");
  }

  @Test
  void list_pagesAndFiltersByType() {
    appendMany(ACME, 7, 7);
    append(
        ReceiptDraft.of(
            LogId.tenant(ACME),
            ReceiptTypes.POLICY_DENIED,
            Fixtures.alice(ACME),
            "run.start",
            Subject.of("run", "denied")));
    LogId log = LogId.tenant(ACME);
    ReceiptLog.Page page1 =
        db.inTransaction(
            TenantScope.of(ACME), tx -> provenance.log().list(tx, log, ReceiptLog.Query.all(5)));
    assertThat(page1.receipts()).extracting(Receipt::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(page1.nextAfterSeq()).contains(5L);
    ReceiptLog.Page page2 =
        db.inTransaction(
            TenantScope.of(ACME),
            tx ->
                provenance
                    .log()
                    .list(tx, log, new ReceiptLog.Query(Optional.empty(), Optional.empty(), 5, 5)));
    assertThat(page2.receipts()).extracting(Receipt::seq).containsExactly(6L, 7L, 8L);
    assertThat(page2.nextAfterSeq()).isEmpty();
    ReceiptLog.Page denied =
        db.inTransaction(
            TenantScope.of(ACME),
            tx ->
                provenance
                    .log()
                    .list(
                        tx,
                        log,
                        new ReceiptLog.Query(
                            Optional.of(ReceiptTypes.POLICY_DENIED), Optional.empty(), 0, 10)));
    assertThat(denied.receipts()).extracting(Receipt::seq).containsExactly(8L);
  }

  @Test
  void proofs_fromStoredNodesAndLeavesEqualTheReferenceComputation() {
    List<Receipt> receipts = appendMany(ACME, 700, 100);
    List<Hash> leaves = receipts.stream().map(Receipt::leafHash).toList();
    LogId log = LogId.tenant(ACME);
    for (long size : new long[] {1, 255, 256, 257, 513, 700}) {
      for (long seq : new long[] {1, size / 2 + 1, size}) {
        InclusionProof p =
            db.inTransaction(
                TenantScope.of(ACME), tx -> provenance.log().inclusionProof(tx, log, seq, size));
        assertThat(p.hashes())
            .as("inclusion of %d in %d", seq, size)
            .isEqualTo(
                Proofs.inclusion(seq - 1, size, Proofs.fromLeaves(leaves.subList(0, (int) size))));
      }
      ConsistencyProof c =
          db.inTransaction(
              TenantScope.of(ACME), tx -> provenance.log().consistencyProof(tx, log, size, 700));
      assertThat(c.hashes()).isEqualTo(Proofs.consistency(size, 700, Proofs.fromLeaves(leaves)));
    }
  }

  @Test
  void inclusionProofs_ofSeveralReceiptsEqualEachProofAlone() {
    List<Receipt> receipts = appendMany(ACME, 700, 100);
    List<Hash> leaves = receipts.stream().map(Receipt::leafHash).toList();
    LogId log = LogId.tenant(ACME);
    List<Long> seqs = List.of(1L, 2L, 255L, 256L, 257L, 600L, 601L, 700L);
    for (long size : new long[] {700, 650}) {
      List<Long> in = seqs.stream().filter(s -> s <= size).toList();
      List<InclusionProof> batch =
          db.inTransaction(
              TenantScope.of(ACME), tx -> provenance.log().inclusionProofs(tx, log, in, size));
      assertThat(batch).hasSize(in.size());
      for (int i = 0; i < in.size(); i++) {
        long seq = in.get(i);
        assertThat(batch.get(i).hashes())
            .as("inclusion of %d in %d", seq, size)
            .isEqualTo(
                Proofs.inclusion(seq - 1, size, Proofs.fromLeaves(leaves.subList(0, (int) size))));
        assertThat(batch.get(i).leafIndex()).isEqualTo(seq - 1);
      }
    }
  }

  @Test
  void inclusionProof_rejectsSizesBeyondTheLog() {
    append(Fixtures.runStarted(ACME, 1));
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    TenantScope.of(ACME),
                    tx -> provenance.log().inclusionProof(tx, LogId.tenant(ACME), 1, 2)))
        .isInstanceOf(MaestroException.class)
        .satisfies(
            e -> assertThat(((MaestroException) e).code()).isEqualTo(ProvenanceErrors.BAD_RANGE));
  }

  @Test
  void append_manyThreadsForManyTenants_everyChainAndTreeVerifies() throws Exception {
    int tenants = 5;
    int threadsPerTenant = 4;
    int appendsPerThread = 15;
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < tenants; t++) {
      TenantId tenant = TenantId.of("tenant-" + t);
      for (int w = 0; w < threadsPerTenant; w++) {
        int worker = w;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        for (int i = 0; i < appendsPerThread; i++) {
                          append(Fixtures.runStarted(tenant, worker * 1000 + i));
                        }
                      } catch (Throwable e) {
                        failures.add(e);
                      }
                    }));
      }
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(failures).isEmpty();
    provenance.checkpointer().runOnce();
    for (int t = 0; t < tenants; t++) {
      TenantId tenant = TenantId.of("tenant-" + t);
      LogId log = LogId.tenant(tenant);
      List<Receipt> all =
          db.inTransaction(
              TenantScope.of(tenant),
              tx -> provenance.log().list(tx, log, ReceiptLog.Query.all(500)).receipts());
      assertThat(all).hasSize(threadsPerTenant * appendsPerThread);
      Hash prev = Hash.ZERO;
      for (int i = 0; i < all.size(); i++) {
        assertThat(all.get(i).seq()).isEqualTo(i + 1);
        assertThat(all.get(i).prev()).isEqualTo(prev);
        prev = all.get(i).digest();
      }
      Checkpoint cp =
          db.inTransaction(TenantScope.of(tenant), tx -> provenance.log().latestCheckpoint(tx, log))
              .orElseThrow();
      assertThat(cp.size()).isEqualTo(all.size());
      Hash root =
          Proofs.fromLeaves(all.stream().map(Receipt::leafHash).toList()).range(0, all.size());
      assertThat(cp.root()).isEqualTo(root);
      assertThat(MerkleHash.EMPTY_ROOT).isNotEqualTo(root);
    }
  }
}
