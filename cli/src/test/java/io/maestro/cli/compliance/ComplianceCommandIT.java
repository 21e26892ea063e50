package io.maestro.cli.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import io.maestro.cli.disclose.DiscloseCommandIT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an auditor does with a tenant's compliance bundle, through bin/maestro against a real dev
 * server: bundle a window twice and get the same SHA-256, verify it offline, break one byte and see
 * verify name the file, and ask the bundle alone who ran a run and what an actor changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComplianceCommandIT {
  static final Pattern RUN_ID = Pattern.compile("run (run_[0-9a-f]+) started");
  static final Pattern SHA = Pattern.compile("sha256 ([0-9a-f]{64})");
  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: audited, version: "1"}
      spec:
        tasks:
          - {id: greet, uses: core/log, with: {message: "hello auditor"}}
      """;

  @TempDir static Path dir;
  CliRunner.Running server;
  String run;
  String from;
  String to;

  @BeforeAll
  void start() throws Exception {
    server = CliRunner.server(dir, Map.of());
    from = Instant.now().minusSeconds(5).toString();
    CliRunner.run(
            dir,
            home(),
            "login",
            "--dev",
            "--url",
            server.url(),
            "--tenant",
            "acme",
            "--role",
            "tenant_admin",
            "--create")
        .expect(0);
    Path manifest = dir.resolve("audited.yaml");
    Files.writeString(manifest, MANIFEST);
    CliRunner.Result started = maestro("run", manifest.toString(), "--follow").expect(0);
    Matcher m = RUN_ID.matcher(started.stdout() + started.stderr());
    assertThat(m.find()).as(started.stdout()).isTrue();
    run = m.group(1);
    maestro("keys", "export", "-o", dir.resolve("keys.json").toString()).expect(0);
    Thread.sleep(50);
    to = Instant.now().toString();
    Thread.sleep(50);
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  Map<String, String> home() {
    Map<String, String> env = new HashMap<>();
    env.put("MAESTRO_HOME", dir.resolve("home").toString());
    return env;
  }

  CliRunner.Result maestro(String... args) throws Exception {
    return CliRunner.run(dir, home(), args);
  }

  String sha(CliRunner.Result r) {
    Matcher m = SHA.matcher(r.stdout());
    assertThat(m.find()).as(r.stdout() + r.stderr()).isTrue();
    return m.group(1);
  }

  @Test
  void bundledTwice_sameSha256_verifies_explains_andOneFlippedByteIsNamed() throws Exception {
    Path a = dir.resolve("a.tgz");
    Path b = dir.resolve("b.tgz");
    String first =
        sha(
            maestro("compliance", "bundle", "--from", from, "--to", to, "-o", a.toString())
                .expect(0));
    String second =
        sha(
            maestro("compliance", "bundle", "--from", from, "--to", to, "-o", b.toString())
                .expect(0));
    assertThat(second).isEqualTo(first);

    String keys = dir.resolve("keys.json").toString();
    assertThat(maestro("compliance", "verify", a.toString(), "--keys", keys).expect(0).stdout())
        .contains("OK compliance bundle of tenant acme");
    assertThat(maestro("verify", a.toString(), "--keys", keys).expect(0).stdout())
        .contains("OK compliance bundle of tenant acme");

    CliRunner.Result why =
        maestro("compliance", "explain", "--subject", "run:" + run, a.toString()).expect(0);
    assertThat(why.stdout()).contains("run.started").contains("allowed by decision");

    Map<String, byte[]> files = DiscloseCommandIT.read(a);
    files.get("admin/changes.ndjson")[3] ^= 1;
    Path broken = dir.resolve("broken.tgz");
    DiscloseCommandIT.write(broken, files);
    CliRunner.Result bad = maestro("compliance", "verify", broken.toString(), "--keys", keys);
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr())
        .contains("verification FAILED")
        .contains("admin/changes.ndjson: changed");
  }

  @Test
  void compliancePack_twiceAsOfOneInstant_sameSha256_verifiesOffline_andAFlippedByteIsNamed()
      throws Exception {
    Path a = dir.resolve("pack-a.tgz");
    Path b = dir.resolve("pack-b.tgz");
    CliRunner.Result made = maestro("compliance", "pack", "--at", to, "-o", a.toString()).expect(0);
    assertThat(made.stdout())
        .contains("Conductor Compliance pack of tenant acme as of")
        .contains("policy: included")
        .contains("sbom_and_attestation: ");
    String first = sha(made);
    String second = sha(maestro("compliance", "pack", "--at", to, "-o", b.toString()).expect(0));
    assertThat(second).isEqualTo(first);

    String keys = dir.resolve("keys.json").toString();
    assertThat(maestro("compliance", "verify", a.toString(), "--keys", keys).expect(0).stdout())
        .contains("OK Conductor Compliance pack of tenant acme");
    assertThat(maestro("verify", a.toString(), "--keys", keys).expect(0).stdout())
        .contains("OK Conductor Compliance pack of tenant acme");

    Map<String, byte[]> files = DiscloseCommandIT.read(a);
    files.get("policy/tenant.json")[3] ^= 1;
    Path broken = dir.resolve("broken-pack.tgz");
    DiscloseCommandIT.write(broken, files);
    CliRunner.Result bad = maestro("compliance", "verify", broken.toString(), "--keys", keys);
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr())
        .contains("verification FAILED")
        .contains("policy/tenant.json: changed");

    CliRunner.Result future =
        maestro(
            "compliance",
            "pack",
            "--at",
            Instant.now().plusSeconds(3600).toString(),
            "-o",
            dir.resolve("future.tgz").toString());
    assertThat(future.exitCode()).isNotZero();
    assertThat(future.stderr()).contains("in the future").doesNotContain("Exception");
  }

  @Test
  void aBadWindowIsOneLineAndNonZero() throws Exception {
    CliRunner.Result reversed =
        maestro(
            "compliance",
            "bundle",
            "--from",
            to,
            "--to",
            from,
            "-o",
            dir.resolve("x.tgz").toString());
    assertThat(reversed.exitCode()).isNotZero();
    assertThat(reversed.stderr()).contains("must be before").doesNotContain("Exception");
    CliRunner.Result unparsable =
        maestro(
            "compliance",
            "bundle",
            "--from",
            "yesterday",
            "--to",
            to,
            "-o",
            dir.resolve("x.tgz").toString());
    assertThat(unparsable.exitCode()).isNotZero();
    assertThat(unparsable.stderr()).contains("RFC 3339").doesNotContain("Exception");
    assertThat(Files.exists(dir.resolve("x.tgz"))).isFalse();
  }

  @Test
  void controlsAsOscal_writesBothDocuments() throws Exception {
    Path out = dir.resolve("oscal");
    maestro("compliance", "controls", "--oscal", "-o", out.toString()).expect(0);
    assertThat(Files.readString(out.resolve("component-definition.json")))
        .contains("\"component-definition\"")
        .contains("access-control");
    assertThat(Files.readString(out.resolve("assessment-results.json")))
        .contains("\"assessment-results\"");
    assertThat(maestro("compliance", "controls").expect(0).stdout()).contains("change-management");
  }
}
