package io.maestro.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.problem.MaestroException;
import io.maestro.evidence.verify.PackReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Disclosure packs end to end inside the module, on every backend. */
abstract class DisclosureContract extends EvidenceFixture {
  @Test
  void sameRunPackedTwice_isTheSameBytesAndVerifies() throws IOException {
    seedRun(ACME, "run_1", "US", 50);
    DisclosurePack first = disclose(ACME, "run_1", null);
    seedRun(ACME, "run_2", "US", 5); // the log grows between the two exports
    DisclosurePack second = disclose(ACME, "run_1", null);
    assertThat(second.sha256()).isEqualTo(first.sha256());
    assertThat(second.exportId()).isNotEqualTo(first.exportId());
    PackReport report = verify(second.file());
    assertThat(report.failures()).isEmpty();
    assertThat(report.receipts()).isEqualTo(3);
    Map<String, byte[]> files = PackTool.read(second.file());
    assertThat(List.copyOf(files.keySet()))
        .contains(
            "manifest.json",
            "manifest.dsse.json",
            "checkpoint.note",
            "run.json",
            "steps/0000.json",
            "workflow/manifest.yaml",
            "decisions/dec_test.json",
            "logs/fetch/0001.ndjson",
            "logs/_run/0001.ndjson")
        .isSortedAccordingTo(String::compareTo);
    assertThat(evidence.exports(ACME, "run_1")).hasSize(2);
  }

  @Test
  void oneByteFlipped_verifyNamesTheFile() throws IOException {
    seedRun(ACME, "run_1", "US", 20);
    DisclosurePack pack = disclose(ACME, "run_1", null);
    Map<String, byte[]> files = new TreeMap<>(PackTool.read(pack.file()));
    byte[] log = files.get("logs/store/0001.ndjson").clone();
    log[5] ^= 1;
    files.put("logs/store/0001.ndjson", log);
    Path tampered = dir.resolve("tampered.tgz");
    PackTool.write(tampered, files);
    assertThat(verify(tampered).failures())
        .containsExactly(
            "logs/store/0001.ndjson: changed (its SHA-256 or size differs from the manifest)");
  }

  @Test
  void removedOrAddedFile_failsNamingIt() throws IOException {
    seedRun(ACME, "run_1", "US", 20);
    DisclosurePack pack = disclose(ACME, "run_1", null);
    Map<String, byte[]> files = new TreeMap<>(PackTool.read(pack.file()));
    files.remove("receipts/000000000002.json");
    files.put("extra.txt", "hello".getBytes(StandardCharsets.UTF_8));
    Path tampered = dir.resolve("tampered.tgz");
    PackTool.write(tampered, files);
    assertThat(String.join("\n", verify(tampered).failures()))
        .contains("receipts/000000000002.json: listed in the manifest but missing")
        .contains("extra.txt: added (not in the manifest)");
  }

  @Test
  void editedManifest_failsTheSignature() throws IOException {
    seedRun(ACME, "run_1", "US", 3);
    DisclosurePack pack = disclose(ACME, "run_1", null);
    Map<String, byte[]> files = new TreeMap<>(PackTool.read(pack.file()));
    String m = new String(files.get("manifest.json"), StandardCharsets.UTF_8);
    files.put("manifest.json", m.replace("\"US\"", "\"EU\"").getBytes(StandardCharsets.UTF_8));
    Path tampered = dir.resolve("tampered.tgz");
    PackTool.write(tampered, files);
    assertThat(verify(tampered).failures())
        .contains("manifest.json: differs from the manifest the signature covers");
  }

  @Test
  void regionTheRunNeverTouched_givesAnEmptyVerifiablePack() throws IOException {
    seedRun(ACME, "run_1", "US", 10);
    DisclosurePack eu = disclose(ACME, "run_1", "EU");
    assertThat(eu.empty()).isTrue();
    assertThat(PackTool.read(eu.file()).keySet())
        .containsExactly("manifest.dsse.json", "manifest.json");
    PackReport report = verify(eu.file());
    assertThat(report.failures()).isEmpty();
    assertThat(report.empty()).isTrue();
    DisclosurePack us = disclose(ACME, "run_1", "US");
    assertThat(us.empty()).isFalse();
    assertThat(disclose(ACME, "run_1", "EU").sha256()).isEqualTo(eu.sha256());
  }

  @Test
  void badRegionOrUnknownRun_areProblems() {
    seedRun(ACME, "run_1", "US", 1);
    assertThatThrownBy(() -> disclose(ACME, "run_1", "MARS"))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("not one of the tenant's regions");
    assertThatThrownBy(() -> disclose(ACME, "run_1", "eu"))
        .hasMessageContaining("upper-case codes");
    assertProblem(() -> disclose(ACME, "run_nope", null), EvidenceErrors.RUN_NOT_FOUND);
    runs.add(ACME, "run_live", "US", 1, false);
    assertProblem(() -> disclose(ACME, "run_live", null), EvidenceErrors.RUN_NOT_FINISHED);
  }

  @Test
  void withheldOutputs_areDigestsAndTheRestVerifies() throws IOException {
    seedRun(ACME, "run_1", "US", 4);
    DisclosurePack pack = disclose(ACME, "run_1", "US", "$.steps[*].outputs", "$.inputs");
    Map<String, byte[]> files = PackTool.read(pack.file());
    String all =
        files.values().stream()
            .map(b -> new String(b, StandardCharsets.UTF_8))
            .reduce("", String::concat);
    assertThat(all).doesNotContain("out-fetch-acme").doesNotContain("secret-acme");
    assertThat(new String(files.get("steps/0000.json"), StandardCharsets.UTF_8))
        .contains("\"_sd\"")
        .doesNotContain("\"outputs\"");
    PackReport report = verify(pack.file());
    assertThat(report.failures()).isEmpty();
    assertThat(report.withheld())
        .containsExactly(
            "$.steps[*].outputs -> [steps/0000.json#/outputs, steps/0001.json#/outputs]",
            "$.inputs -> [run.json#/inputs]");
    assertThat(disclose(ACME, "run_1", "US", "$.steps[*].outputs", "$.inputs").sha256())
        .isEqualTo(pack.sha256());
  }

  @Test
  void withheldPathMatchingNothing_isAnError() {
    seedRun(ACME, "run_1", "US", 1);
    assertProblem(
        () -> disclose(ACME, "run_1", null, "$.steps[*].nosuch"),
        EvidenceErrors.WITHHOLD_UNMATCHED);
    assertProblem(
        () -> disclose(ACME, "run_1", null, "$..outputs"), EvidenceErrors.WITHHOLD_INVALID);
  }

  @Test
  void oneTenantsExport_neverHoldsAnotherTenantsArtifact() throws IOException {
    seedRun(ACME, "run_1", "US", 30);
    seedRun(GLOBEX, "run_1", "US", 30);
    DisclosurePack acme = disclose(ACME, "run_1", null);
    DisclosurePack globex = disclose(GLOBEX, "run_1", null);
    Path acmePartition = evidence.store().partition(ACME);
    assertThat(acme.file()).startsWith(acmePartition);
    assertThat(globex.file()).startsWith(evidence.store().partition(GLOBEX));
    String content =
        PackTool.read(acme.file()).values().stream()
            .map(b -> new String(b, StandardCharsets.UTF_8))
            .reduce("", String::concat);
    assertThat(content).contains("of acme").doesNotContain("globex");
    try (Stream<Path> files = Files.walk(acmePartition)) {
      assertThat(files.filter(Files::isRegularFile).map(Path::toString))
          .allMatch(p -> !p.contains("globex"));
    }
    assertThat(verify(globex.file()).failures()).isEmpty();
  }
}
