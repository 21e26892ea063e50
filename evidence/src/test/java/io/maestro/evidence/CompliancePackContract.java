package io.maestro.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.core.json.Json;
import io.maestro.evidence.compliance.CompliancePackFormat;
import io.maestro.evidence.compliance.CompliancePacks;
import io.maestro.evidence.compliance.PackSources;
import io.maestro.evidence.storage.PackStore;
import io.maestro.evidence.verify.BundleFiles;
import io.maestro.evidence.verify.CompliancePackReport;
import io.maestro.evidence.verify.CompliancePackVerifier;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.TenantScope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Conductor Compliance Pack on a real database and real signatures: made twice as of one
 * instant it is the same bytes; it verifies offline; a changed, removed or added file is named;
 * what the server does not have (a release, an isolation report) is absent and said so; drills
 * after the instant stay out.
 */
abstract class CompliancePackContract extends EvidenceFixture {
  /** The sources a server would read through other modules, with fixed content. */
  record Sources(Optional<Path> releaseDir, Optional<Path> isolation) implements PackSources {
    @Override
    public PolicySnapshot policy(TenantId tenant) {
      ObjectNode facts = JsonNodeFactory.instance.objectNode().put("revision", "canon-test");
      ObjectNode t = JsonNodeFactory.instance.objectNode().put("profile", "regulated");
      return new PolicySnapshot(
          "a bundle".getBytes(StandardCharsets.UTF_8),
          facts,
          Optional.empty(),
          Optional.of("regulated 2 sha256:00\n".getBytes(StandardCharsets.UTF_8)),
          t);
    }

    @Override
    public Release release() {
      return new Release(releaseDir, releaseDir.isPresent() ? "configured" : "none configured");
    }

    @Override
    public ObjectNode sloReport(TenantId tenant, Instant at) {
      ObjectNode o = JsonNodeFactory.instance.objectNode().put("evaluatedAt", at.toString());
      o.putArray("items").addObject().put("name", "run-success");
      return o;
    }

    @Override
    public List<ObjectNode> incidents(TenantId tenant, Instant at) {
      return List.of();
    }

    @Override
    public Optional<Path> isolationReport() {
      return isolation;
    }
  }

  CompliancePacks packs(Sources sources) {
    return new CompliancePacks(
        db,
        provenance,
        sources,
        new PackStore(dir.resolve("evidence"), new SecureRandom()),
        Clock.systemUTC());
  }

  void drill(String scenario) {
    db.useTransaction(
        TenantScope.platform(),
        tx ->
            provenance
                .receipts()
                .append(
                    tx,
                    ReceiptDraft.of(
                            LogId.platform(),
                            ReceiptTypes.DRILL_CHAOS_COMPLETED,
                            Actor.system("chaos"),
                            "chaos.record",
                            ReceiptDraft.Subject.of("fault", scenario))
                        .withPayload(
                            JsonNodeFactory.instance
                                .objectNode()
                                .put("scenario", scenario)
                                .put("passed", true))));
  }

  CompliancePackReport verifyPack(Path pack) throws IOException {
    try (InputStream in = Files.newInputStream(pack)) {
      return CompliancePackVerifier.verify(BundleFiles.read(in), provenance.keys().publicKeys());
    }
  }

  static JsonNode section(Map<String, byte[]> files, String id) throws IOException {
    for (JsonNode s :
        Json.MAPPER.readTree(files.get(CompliancePackFormat.INDEX)).path("sections")) {
      if (s.path("id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no section " + id);
  }

  @Test
  void packedTwiceAsOfOneInstant_isTheSameBytes_verifies_andSaysWhatIsAbsent() throws Exception {
    drill("pdp-outage");
    Thread.sleep(5);
    Instant at = Instant.now();
    Thread.sleep(5);
    drill("signer-outage"); // after the instant: not in the pack
    CompliancePacks packs = packs(new Sources(Optional.empty(), Optional.empty()));

    CompliancePacks.Pack first = packs.export(ACME, at, AUDITOR, ALLOW);
    byte[] firstBytes = Files.readAllBytes(first.file());
    CompliancePacks.Pack second = packs.export(ACME, at, AUDITOR, ALLOW);
    assertThat(second.sha256()).isEqualTo(first.sha256());
    assertThat(Files.readAllBytes(second.file())).isEqualTo(firstBytes);
    assertThat(second.receiptId()).isNotEqualTo(first.receiptId());

    CompliancePackReport r = verifyPack(first.file());
    assertThat(r.failures()).isEmpty();
    assertThat(r.tag()).isEqualTo("Conductor Compliance");
    assertThat(r.tenant()).isEqualTo("acme");
    assertThat(r.at()).isEqualTo(at.toString());
    assertThat(r.drills()).isEqualTo(1);

    Map<String, byte[]> files = PackTool.read(first.file());
    assertThat(section(files, CompliancePackFormat.SBOM).path("status").asText())
        .isEqualTo("absent");
    assertThat(section(files, CompliancePackFormat.SBOM).path("reason").asText())
        .contains("no release directory");
    assertThat(section(files, CompliancePackFormat.ISOLATION).path("status").asText())
        .isEqualTo("absent");
    assertThat(section(files, CompliancePackFormat.INCIDENT_TIMELINES).path("status").asText())
        .isEqualTo("none");
    assertThat(section(files, CompliancePackFormat.DRILL_REPORTS).path("status").asText())
        .isEqualTo("included");
    assertThat(new String(files.get(CompliancePackFormat.PROFILE_LOCK), StandardCharsets.UTF_8))
        .contains("regulated 2");
    assertThat(files.keySet().stream().filter(f -> f.startsWith(CompliancePackFormat.DRILLS)))
        .hasSize(1)
        .allSatisfy(
            f ->
                assertThat(new String(files.get(f), StandardCharsets.UTF_8))
                    .contains("pdp-outage")
                    .doesNotContain("signer-outage"));
  }

  @Test
  void releaseFilesAndTheIsolationReport_areCarriedAndVerified() throws Exception {
    Path release = dir.resolve("release");
    Files.createDirectories(release.resolve("sbom"));
    Files.createDirectories(release.resolve("attestations"));
    Files.writeString(
        release.resolve("sbom/maestro-cli.cdx.json"), "{\"bomFormat\":\"CycloneDX\"}");
    Files.writeString(release.resolve("attestations/build.provenance.dsse.json"), "{}");
    Files.writeString(release.resolve("maestro.jar"), "not carried");
    Path isolation = dir.resolve("isolation.md");
    Files.writeString(isolation, "# Tenant isolation report\n\n0 leaks\n");
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    CompliancePacks.Pack p =
        packs(new Sources(Optional.of(release), Optional.of(isolation)))
            .export(ACME, at, AUDITOR, ALLOW);

    assertThat(verifyPack(p.file()).failures()).isEmpty();
    Map<String, byte[]> files = PackTool.read(p.file());
    assertThat(files)
        .containsKeys(
            "release/sbom/maestro-cli.cdx.json",
            "release/attestations/build.provenance.dsse.json",
            CompliancePackFormat.ISOLATION_REPORT)
        .doesNotContainKey("release/maestro.jar");
    assertThat(section(files, CompliancePackFormat.SBOM).path("summary").asText())
        .isEqualTo("1 SBOM(s), 1 signed attestation(s)");
    assertThat(drillsIn(files)).isZero();
    assertThat(section(files, CompliancePackFormat.DRILL_REPORTS).path("status").asText())
        .isEqualTo("none");
  }

  static long drillsIn(Map<String, byte[]> files) {
    return files.keySet().stream().filter(f -> f.startsWith(CompliancePackFormat.DRILLS)).count();
  }

  @Test
  void aChangedRemovedOrAddedFile_isNamed() throws Exception {
    drill("export-throttle");
    Thread.sleep(5);
    CompliancePacks.Pack p =
        packs(new Sources(Optional.empty(), Optional.empty()))
            .export(ACME, Instant.now(), AUDITOR, ALLOW);
    Map<String, byte[]> files = PackTool.read(p.file());

    files.get(CompliancePackFormat.SLO_REPORT)[2] ^= 1;
    Path changed = dir.resolve("changed.tgz");
    PackTool.write(changed, files);
    assertThat(verifyPack(changed).failures())
        .containsExactly(
            CompliancePackFormat.SLO_REPORT
                + ": changed (its SHA-256 differs from the signed statement)");

    files = PackTool.read(p.file());
    String drill =
        files.keySet().stream()
            .filter(f -> f.startsWith(CompliancePackFormat.DRILLS))
            .findFirst()
            .orElseThrow();
    files.remove(drill);
    files.put("policy/extra.rego", "package x".getBytes(StandardCharsets.UTF_8));
    Path edited = dir.resolve("edited.tgz");
    PackTool.write(edited, files);
    assertThat(verifyPack(edited).failures())
        .contains(
            drill + ": listed in the signed statement but missing from the pack",
            "policy/extra.rego: added (not in the signed statement)");
  }

  @Test
  void anInstantInTheFutureOrUnparsable_isAProblem() {
    CompliancePacks packs = packs(new Sources(Optional.empty(), Optional.empty()));
    assertProblem(
        () -> packs.asOf(Optional.of(Instant.now().plusSeconds(3600).toString())),
        EvidenceErrors.PACK_TIME_INVALID);
    assertProblem(() -> packs.asOf(Optional.of("yesterday")), EvidenceErrors.PACK_TIME_INVALID);
    assertThat(packs.asOf(Optional.empty())).isBeforeOrEqualTo(Instant.now());
  }
}
