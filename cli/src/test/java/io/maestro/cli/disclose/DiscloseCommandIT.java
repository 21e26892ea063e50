package io.maestro.cli.disclose;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user does with disclosure packs, through bin/maestro against a real dev server: pack a
 * run twice and get the same SHA-256, verify it offline, break one byte and see verify name the
 * file, withhold the outputs and see verify list them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class DiscloseCommandIT {
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
          - {id: compute, uses: core/noop, needs: [greet], with: {card: "4111-1111"}}
      """;

  @TempDir static Path dir;
  CliRunner.Running server;
  String run;

  @BeforeAll
  void start() throws Exception {
    server = CliRunner.server(dir, Map.of());
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
  void packedTwice_sameSha256_verifiesOffline_andOneFlippedByteIsNamed() throws Exception {
    Path a = dir.resolve("a.tgz");
    Path b = dir.resolve("b.tgz");
    String first = sha(maestro("disclose", run, "-o", a.toString()).expect(0));
    String second = sha(maestro("disclose", run, "-o", b.toString()).expect(0));
    assertThat(second).isEqualTo(first);
    assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));

    CliRunner.Result ok =
        maestro("verify", a.toString(), "--keys", dir.resolve("keys.json").toString()).expect(0);
    assertThat(ok.stdout()).contains("OK disclosure pack of run " + run);

    Map<String, byte[]> files = read(a);
    String log =
        files.keySet().stream().filter(n -> n.startsWith("logs/")).findFirst().orElseThrow();
    files.get(log)[3] ^= 1;
    Path broken = dir.resolve("broken.tgz");
    write(broken, files);
    CliRunner.Result bad =
        maestro("verify", broken.toString(), "--keys", dir.resolve("keys.json").toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr()).contains("verification FAILED").contains(log + ": changed");
  }

  @Test
  void withheldOutputs_verifyAndAreListed_aPathMatchingNothingIsAnError() throws Exception {
    Path w = dir.resolve("withheld.tgz");
    maestro(
            "disclose",
            run,
            "--region",
            "US",
            "--withhold",
            "$.steps[*].outputs",
            "-o",
            w.toString())
        .expect(0);
    // The step's outputs are gone from the step files and the receipts (the literal stays in the
    // workflow manifest, which is packed as published).
    String disclosed =
        read(w).entrySet().stream()
            .filter(e -> e.getKey().startsWith("steps/") || e.getKey().startsWith("receipts/"))
            .map(e -> new String(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
            .reduce("", String::concat);
    assertThat(disclosed).contains("\"_sd\"").doesNotContain("4111-1111");
    CliRunner.Result ok =
        maestro("verify", w.toString(), "--keys", dir.resolve("keys.json").toString()).expect(0);
    assertThat(ok.stdout()).contains("withheld $.steps[*].outputs -> [steps/");

    CliRunner.Result none =
        maestro("disclose", run, "--withhold", "$.steps[*].nosuch", "-o", w.toString());
    assertThat(none.exitCode()).isNotZero();
    assertThat(none.stderr()).contains("matches nothing").doesNotContain("Exception");
  }

  /**
   * The "done when" as a new user does it: a platform administrator lets acme use EU, the
   * tenant runs examples/eu-report.yaml, packs it for EU only with the outputs withheld, and the
   * pack verifies offline, listing what was withheld.
   */
  @Test
  void anEuOnlyPackWithOutputsWithheld_verifiesOffline() throws Exception {
    Map<String, String> root = new HashMap<>();
    root.put("MAESTRO_HOME", dir.resolve("root-home").toString());
    CliRunner.run(dir, root, "login", "--dev", "--url", server.url(), "--role", "conductor_admin")
        .expect(0);
    CliRunner.run(dir, root, "tenants", "regions", "set", "acme", "US,EU").expect(0);
    Path example = CliRunner.root().resolve("examples/eu-report.yaml");
    CliRunner.Result started = maestro("run", example.toString(), "--follow").expect(0);
    Matcher m = RUN_ID.matcher(started.stdout() + started.stderr());
    assertThat(m.find()).as(started.stdout()).isTrue();
    Path eu = dir.resolve("eu.tgz");
    maestro(
            "disclose",
            m.group(1),
            "--region",
            "EU",
            "--withhold",
            "$.steps[*].outputs",
            "-o",
            eu.toString())
        .expect(0);
    Map<String, byte[]> files = read(eu);
    assertThat(files.keySet()).anyMatch(f -> f.startsWith("logs/"));
    String manifest =
        new String(files.get("manifest.json"), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(manifest).contains("\"region\" : \"EU\"");
    CliRunner.Result ok =
        maestro("verify", eu.toString(), "--keys", dir.resolve("keys.json").toString()).expect(0);
    assertThat(ok.stdout())
        .contains("withheld $.steps[*].outputs -> [steps/")
        .contains("OK disclosure pack of run " + m.group(1));
  }

  public static Map<String, byte[]> read(Path pack) throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(pack);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        tar.transferTo(b);
        files.put(e.getName(), b.toByteArray());
      }
    }
    return files;
  }

  public static void write(Path pack, Map<String, byte[]> files) throws Exception {
    try (OutputStream out = Files.newOutputStream(pack);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
      for (var f : files.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(f.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
  }
}
