package io.maestro.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.evidence.residency.Finding;
import io.maestro.evidence.residency.ResidencyAuditor;
import io.maestro.evidence.residency.ResidencyReport;
import io.maestro.evidence.storage.PackStore;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.TenantScope;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The residency auditor on every backend: a seeded set of artifacts tagged with regions the tenant
 * may no longer use is flagged exactly (no false negatives, no false positives), once.
 */
abstract class ResidencyContract extends EvidenceFixture {
  ResidencyAuditor auditor;
  final List<String> observed = new ArrayList<>();

  @BeforeEach
  void auditor() {
    auditor =
        new ResidencyAuditor(
            db,
            provenance,
            runs,
            new PackStore(dir.resolve("evidence"), new SecureRandom()),
            Clock.systemUTC(),
            (tenant, f) -> observed.add(tenant.value() + " " + f.kind() + " " + f.ref()));
  }

  /**
   * ACME may use US and EU and has runs and packs in both; GLOBEX uses EU only. Returns the export
   * ids: [US run packed whole, EU run packed for EU, EU run packed for US (empty), EU run 2 whole].
   */
  List<String> seed() {
    seedRun(ACME, "run_us", "US", 5);
    seedRun(ACME, "run_eu", "EU", 5);
    seedRun(ACME, "run_eu2", "EU", 3);
    seedRun(GLOBEX, "run_g", "EU", 3);
    runs.regions(GLOBEX, List.of("EU"));
    List<String> exports = new ArrayList<>();
    exports.add(disclose(ACME, "run_us", null).exportId());
    exports.add(disclose(ACME, "run_eu", "EU").exportId());
    exports.add(disclose(ACME, "run_eu", "US").exportId());
    exports.add(disclose(ACME, "run_eu2", null).exportId());
    disclose(GLOBEX, "run_g", "EU");
    return exports;
  }

  /** A receipt of another module that names a region in its payload. */
  Receipt regionReceipt(TenantId tenant, String region) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            provenance
                .receipts()
                .append(
                    tx,
                    ReceiptDraft.of(
                            LogId.tenant(tenant),
                            ReceiptType.of("replica.placed"),
                            Actor.system("test"),
                            "replica.place",
                            ReceiptDraft.Subject.of("replica", "rep_" + region))
                        .withPayload(JsonNodeFactory.instance.objectNode().put("region", region))));
  }

  static Set<String> keys(List<Finding> findings) {
    return findings.stream()
        .map(f -> f.kind() + " " + f.ref() + " " + f.region())
        .collect(Collectors.toSet());
  }

  List<Receipt> violationReceipts(TenantId tenant) {
    provenance.sequencer().drain(LogId.tenant(tenant));
    return db.inTransaction(
            TenantScope.of(tenant),
            tx ->
                provenance
                    .log()
                    .list(
                        tx,
                        LogId.tenant(tenant),
                        new ReceiptLog.Query(
                            Optional.of(ReceiptTypes.RESIDENCY_VIOLATION),
                            Optional.empty(),
                            0,
                            ReceiptLog.MAX_PAGE)))
        .receipts();
  }

  ResidencyReport audit(TenantId tenant) {
    return auditor.audit(tenant, AUDITOR, Optional.of(ALLOW));
  }

  @Test
  void correctlyTaggedArtifacts_areNotFlagged() {
    seed();
    regionReceipt(ACME, "EU");
    ResidencyReport report = audit(ACME);
    assertThat(report.violations()).isEmpty();
    assertThat(report.runs()).isEqualTo(3);
    assertThat(report.exports()).isEqualTo(4);
    assertThat(report.receipts()).isEqualTo(3); // the two regional exports and replica.placed
    assertThat(violationReceipts(ACME)).isEmpty();
  }

  @Test
  void narrowedRegions_flagEveryMisTaggedArtifactAndNothingElse() {
    List<String> exports = seed();
    Receipt eu = regionReceipt(ACME, "EU");
    Receipt apac = regionReceipt(ACME, "APAC");
    String euExportReceipt =
        evidence.exports(ACME, "run_eu").stream()
            .filter(e -> "EU".equals(e.region()))
            .findFirst()
            .orElseThrow()
            .receiptId();
    runs.regions(ACME, List.of("US"));

    ResidencyReport report = audit(ACME);

    assertThat(keys(report.violations()))
        .containsExactlyInAnyOrder(
            "run run_eu EU",
            "run run_eu2 EU",
            "export " + exports.get(1) + " EU",
            "export " + exports.get(3) + " EU",
            "receipt " + euExportReceipt + " EU",
            "receipt " + eu.id() + " EU",
            "receipt " + apac.id() + " APAC");
    assertThat(report.violations()).allMatch(Finding::fresh);
    assertThat(report.violations())
        .filteredOn(f -> f.ref().equals("run_eu"))
        .singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("wf@1 with 2 step(s) and their logs"));
    assertThat(report.fresh()).isEqualTo(7);
    // One receipt per finding, each about the flagged artifact and allowed by the audit's decision.
    List<Receipt> receipts = violationReceipts(ACME);
    assertThat(receipts).hasSize(7);
    assertThat(receipts.stream().map(Receipt::id))
        .containsExactlyInAnyOrderElementsOf(
            report.violations().stream().map(Finding::receiptId).toList());
    assertThat(receipts).allMatch(r -> r.decision().isPresent());
    assertThat(receipts.stream().map(r -> r.subject().kind() + " " + r.subject().id()))
        .contains("run run_eu", "export " + exports.get(1));
    assertThat(observed).hasSize(7).allMatch(s -> s.startsWith("acme "));
  }

  @Test
  void repeatedAudits_recordEachFindingOnce_andResolveAndReopen() {
    seed();
    runs.regions(ACME, List.of("US"));
    ResidencyReport first = audit(ACME);
    assertThat(first.violations()).hasSize(5);

    ResidencyReport second = audit(ACME);
    assertThat(keys(second.violations())).isEqualTo(keys(first.violations()));
    assertThat(second.fresh()).isZero();
    assertThat(violationReceipts(ACME)).hasSize(5);
    assertThat(observed).hasSize(5);

    runs.regions(ACME, List.of("US", "EU"));
    ResidencyReport allowedAgain = audit(ACME);
    assertThat(allowedAgain.violations()).isEmpty();
    assertThat(keys(allowedAgain.resolved())).isEqualTo(keys(first.violations()));
    assertThat(auditor.findings(ACME)).allMatch(f -> f.resolvedAt().isPresent());

    runs.regions(ACME, List.of("US"));
    ResidencyReport reopened = audit(ACME);
    assertThat(reopened.fresh()).isEqualTo(5);
    assertThat(violationReceipts(ACME)).hasSize(10);
  }

  @Test
  void anotherTenant_isUnaffected() {
    seed();
    runs.regions(ACME, List.of("US"));
    audit(ACME);
    ResidencyReport globex = audit(GLOBEX);
    assertThat(globex.violations()).isEmpty();
    assertThat(globex.runs()).isEqualTo(1);
    assertThat(globex.exports()).isEqualTo(1);
    assertThat(violationReceipts(GLOBEX)).isEmpty();
    assertThat(auditor.findings(GLOBEX)).isEmpty();
    // GLOBEX narrowed too: only its own artifacts are flagged.
    runs.regions(GLOBEX, List.of("US"));
    assertThat(keys(audit(GLOBEX).violations())).hasSize(3).contains("run run_g EU");
    assertThat(violationReceipts(ACME)).hasSize(5);
  }

  @Test
  void auditAll_auditsEveryTenantAsTheScheduler() {
    seed();
    runs.regions(ACME, List.of("US"));
    List<ResidencyReport> reports = auditor.auditAll();
    assertThat(reports.stream().map(r -> r.tenant().value())).containsExactly("acme", "globex");
    assertThat(reports.get(0).violations()).hasSize(5);
    assertThat(violationReceipts(ACME))
        .allMatch(r -> r.actor().sub().equals("system:residency-auditor"))
        .allMatch(r -> r.decision().isEmpty());
    assertThat(reports.get(1).violations()).isEmpty();
  }
}
