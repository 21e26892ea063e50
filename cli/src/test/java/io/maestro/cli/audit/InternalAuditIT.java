package io.maestro.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.cli.CliRunner;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/audit/internal-audit.yaml} end to end on a real dev server: its HTTP steps read
 * the API with the auditing tenant's token (a server secret), the findings name what failed with
 * severity, owner and due date, and the run's disclosure pack — the evidence bundle, tagged
 * Conductor_Internal_Audit — verifies offline.
 */
class InternalAuditIT {
  static final Pattern RUN_ID = Pattern.compile("run (run_[0-9a-f]+) started");
  @TempDir Path dir;

  Map<String, String> home() {
    Map<String, String> env = new HashMap<>();
    env.put("MAESTRO_HOME", dir.resolve("home").toString());
    return env;
  }

  CliRunner.Result maestro(String... args) throws Exception {
    return CliRunner.run(dir, home(), args);
  }

  void login(String url) throws Exception {
    maestro(
            "login",
            "--dev",
            "--url",
            url,
            "--tenant",
            "auditco",
            "--role",
            "tenant_admin",
            "--create")
        .expect(0);
  }

  @Test
  void internalAudit_producesFindingsAndAVerifiableEvidenceBundle() throws Exception {
    // The token the workflow calls the API with must be in the server's environment at start:
    // mint it on a first start (the dev issuer's key stays in the data directory), then restart.
    String token;
    try (CliRunner.Running first = CliRunner.server(dir, Map.of())) {
      login(first.url());
      maestro("tenants", "members", "set", "auditco", "ada@auditco", "tenant_admin").expect(0);
      token =
          maestro("token", "issue", "--dev", "--tenant", "auditco", "--role", "tenant_admin")
              .expect(0)
              .stdout()
              .trim();
    }
    Map<String, String> env = new HashMap<>();
    env.put("MAESTRO_SECRET_AUDIT_TOKEN", token);
    env.put("MAESTRO_ENGINE_HTTP_ALLOWED_HOSTS", "127.0.0.1");
    try (CliRunner.Running server = CliRunner.server(dir, env)) {
      login(server.url());
      Path manifest = CliRunner.root().resolve("examples/audit/internal-audit.yaml");
      CliRunner.Result started =
          maestro(
              "run",
              manifest.toString(),
              "-i",
              "tenant=auditco",
              "-i",
              "api=" + server.url(),
              "--follow");
      assertThat(started.exitCode()).as(started.stdout() + started.stderr()).isZero();
      Matcher m = RUN_ID.matcher(started.stdout() + started.stderr());
      assertThat(m.find()).isTrue();
      String run = m.group(1);

      JsonNode shown =
          new ObjectMapper()
              .readTree(maestro("runs", "show", run, "--output", "json").expect(0).stdout());
      JsonNode findings = null;
      for (JsonNode s : shown.path("steps")) {
        if (s.path("id").asText().equals("findings")) {
          findings = s.path("outputs");
        }
      }
      assertThat(findings).as(shown.toString()).isNotNull();
      assertThat(findings.path("tag").asText()).isEqualTo("Conductor_Internal_Audit");
      // A fresh installation: roles, packs and SLOs pass; no restore drill is on record.
      assertThat(findings.path("checked").asInt()).isEqualTo(7);
      Map<String, JsonNode> byId = new TreeMap<>();
      findings.path("findings").forEach(f -> byId.put(f.path("id").asText(), f));
      assertThat(byId).containsOnlyKeys("DR-1", "DR-2");
      assertThat(byId.get("DR-1").path("severity").asText()).isEqualTo("high");
      assertThat(byId.get("DR-1").path("owner").asText()).isEqualTo("platform-security");
      assertThat(byId.get("DR-1").path("due").asText()).isEqualTo("2027-01-31");
      assertThat(byId.get("DR-2").path("severity").asText()).isEqualTo("medium");

      // The evidence bundle: the run's disclosure pack, signed, tagged, without the token.
      Path bundle = dir.resolve("internal-audit.tgz");
      maestro("disclose", run, "-o", bundle.toString()).expect(0);
      maestro("keys", "export", "-o", dir.resolve("keys.json").toString()).expect(0);
      maestro("verify", bundle.toString(), "--keys", dir.resolve("keys.json").toString()).expect(0);
      Map<String, String> files = read(bundle);
      assertThat(files.get("workflow/manifest.yaml"))
          .contains("evidence: Conductor_Internal_Audit");
      assertThat(files.values()).anyMatch(f -> f.contains("\"DR-1\""));
      assertThat(files.values()).noneMatch(f -> f.contains(token));
    }
  }

  static Map<String, String> read(Path tgz) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (InputStream in = Files.newInputStream(tgz);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        out.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
