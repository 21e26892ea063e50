package io.maestro.provenance;

import static io.maestro.provenance.Fixtures.ACME;
import static io.maestro.provenance.Fixtures.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.provenance.ReceiptDraft.Subject;
import io.maestro.store.TenantScope;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The receipt search by digest, actor and deny reason (facet index), on every backend. */
abstract class ReceiptSearchContract extends DbFixture {

  private static ReceiptDraft refused(TenantId tenant, String who, String... codes) {
    return ReceiptDraft.of(
            LogId.tenant(tenant),
            ReceiptTypes.POLICY_DENIED,
            new Actor(who, Optional.of(tenant), List.of("read_only"), Map.of(), "oidc"),
            "workflow.run",
            Subject.of("workflow", "deploy"))
        .withDecision(
            new Decision(
                "dec_" + who,
                false,
                java.util.Arrays.stream(codes)
                    .map(c -> new Decision.Reason(c, "because " + c + ", \"quoted\" [1]"))
                    .toList(),
                List.of(),
                "r7",
                "sha256:" + "0".repeat(64),
                "maestro/authz/decision",
                Instant.parse("2026-11-22T16:05:20.123Z")));
  }

  private List<Receipt> search(
      TenantId tenant, Optional<Hash> digest, Optional<String> actor, Optional<String> reason) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            provenance
                .log()
                .list(
                    tx,
                    LogId.tenant(tenant),
                    new ReceiptLog.Query(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        digest,
                        actor,
                        reason,
                        0,
                        100))
                .receipts());
  }

  @Test
  void findsByDigestActorAndDenyReason_inOneTenantsLogOnly() {
    Receipt started = append(Fixtures.runStarted(ACME, 1));
    append(refused(ACME, "vera@acme", "role_not_permitted"));
    append(refused(ACME, "otto@acme", "quota_concurrency_exceeded", "role_not_permitted"));
    append(Fixtures.runStarted(ACME, 2));
    append(refused(GLOBEX, "vera@acme", "role_not_permitted"));

    assertThat(search(ACME, Optional.of(started.digest()), Optional.empty(), Optional.empty()))
        .extracting(Receipt::id)
        .containsExactly(started.id());
    assertThat(search(GLOBEX, Optional.of(started.digest()), Optional.empty(), Optional.empty()))
        .isEmpty();
    assertThat(search(ACME, Optional.empty(), Optional.of("alice@acme"), Optional.empty()))
        .extracting(Receipt::seq)
        .containsExactly(1L, 4L);
    assertThat(search(ACME, Optional.empty(), Optional.empty(), Optional.of("role_not_permitted")))
        .extracting(Receipt::seq)
        .containsExactly(2L, 3L);
    assertThat(
            search(
                ACME,
                Optional.empty(),
                Optional.of("otto@acme"),
                Optional.of("role_not_permitted")))
        .extracting(Receipt::seq)
        .containsExactly(3L);
    assertThat(search(ACME, Optional.empty(), Optional.empty(), Optional.of("rbac_granted")))
        .as("an allowing decision's reasons are not deny reasons")
        .isEmpty();
  }

  @Test
  void refusesAMalformedDenyReasonOrActor() {
    for (var bad :
        List.of(
            Map.entry(Optional.<String>empty(), Optional.of("Role Not Permitted")),
            Map.entry(Optional.of(" "), Optional.<String>empty()))) {
      assertThatThrownBy(
              () ->
                  new ReceiptLog.Query(
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      bad.getKey(),
                      bad.getValue(),
                      0,
                      10))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /**
   * The migration indexes receipts placed before the facet index existed by reading their bodies:
   * run its statements on a log whose index was emptied and expect what the write path wrote.
   */
  @Test
  void migrationBackfill_indexesExistingReceiptsAsTheWritePathDoes() throws IOException {
    append(Fixtures.runStarted(ACME, 1));
    append(refused(ACME, "vera@acme", "role_not_permitted"));
    append(refused(ACME, "otto@acme", "quota_concurrency_exceeded", "role_not_permitted"));
    append(refused(GLOBEX, "gus@globex", "cross_tenant_access"));
    List<String> written = facetRows();
    assertThat(written).hasSize(8);

    rerunBackfill("provenance_receipt_facet", "V202612061000__provenance_receipt_facet.sql");
    assertThat(facetRows()).isEqualTo(written);
  }

  private List<String> facetRows() {
    return db.inTransaction(
        TenantScope.platform(),
        tx ->
            tx.query(
                "SELECT tenant_id, seq, facet, facet_value FROM provenance_receipt_facet"
                    + " ORDER BY tenant_id, seq, facet, facet_value",
                rs ->
                    rs.getString(1)
                        + " "
                        + rs.getLong(2)
                        + " "
                        + rs.getString(3)
                        + " "
                        + rs.getString(4)));
  }
}
