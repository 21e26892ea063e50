package io.maestro.cli.demo;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.core.json.Json;
import io.maestro.server.MaestroServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro demo} end to end against a real dev-mode server, as a new user runs it. */
class DemoCommandTest {
  @TempDir Path dir;

  MaestroServer start() {
    Path data = dir.resolve("data");
    return MaestroServer.start(
        new ConfigLoader(Map.of(), data)
            .load(
                Optional.empty(),
                Map.of(
                    "server.port", "0",
                    "server.host", "127.0.0.1",
                    "dataDir", data.toString(),
                    "log.level", "WARN",
                    "mode", "dev")));
  }

  @Test
  void demo_provisionsRunsDeniesAndExportsAVerifiedReceiptLog() throws Exception {
    try (MaestroServer server = start()) {
      String url = "http://127.0.0.1:" + server.port();
      Path out = dir.resolve("demo");
      Run r = maestro("demo", "--url", url, "--tenant", "demo-cli", "-o", out.toString());
      assertThat(r.code()).as(r.out() + r.err()).isZero();
      assertThat(r.out())
          .contains("demo tenant demo-cli (profile partner-demo)")
          .contains("completed:")
          .contains("awaiting approval:")
          .contains("role_not_permitted")
          .contains("receipt export:     verified");

      var demo = Json.MAPPER.readTree(out.resolve("demo.json").toFile());
      assertThat(demo.path("export").path("verified").asBoolean()).isTrue();
      String pending = demo.path("pending_run").asText();

      // The export verifies offline with the CLI's own verifier, and holds every step's receipt.
      Run verified =
          maestro(
              "verify",
              out.resolve("export.ndjson").toString(),
              "--keys",
              out.resolve("keys.json").toString());
      assertThat(verified.code()).as(verified.out() + verified.err()).isZero();
      List<String> types = new ArrayList<>();
      for (String line : Files.readAllLines(out.resolve("export.ndjson"))) {
        var n = Json.MAPPER.readTree(line);
        if (n.has("receipt")) {
          types.add(n.path("receipt").path("type").asText());
        } else if (n.has("type")) {
          types.add(n.path("type").asText());
        }
      }
      assertThat(types)
          .contains(
              "tenant.provisioned", // with the partner-demo profile, decided as demo.create
              "workflow.published",
              "run.started",
              "run.completed",
              "policy.denied",
              "step.waiting");

      // The tenant is real: its admin sees it with the partner-demo profile and the waiting run.
      String admin =
          maestro(
                  "token",
                  "issue",
                  "--dev",
                  "--url",
                  url,
                  "--tenant",
                  "demo-cli",
                  "--role",
                  "tenant_admin")
              .out()
              .strip();
      var res = io.maestro.cli.DevHttp.send(url, "GET", "/api/runs/" + pending, admin, null, "");
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      var run = Json.MAPPER.readTree(res.body());
      assertThat(run.path("status").asText()).isEqualTo("RUNNING");
      var tenant =
          Json.MAPPER.readTree(
              io.maestro.cli.DevHttp.send(url, "GET", "/api/tenants/demo-cli", admin, null, "")
                  .body());
      assertThat(tenant.path("profile").asText()).isEqualTo("partner-demo");
    }
  }

  @Test
  void demo_withAnInvalidTenantId_failsInOneLine() {
    Run r = maestro("demo", "--url", "http://127.0.0.1:9", "--tenant", "Not Valid");
    assertThat(r.code()).isNotZero();
    assertThat(r.err().strip()).contains("not a valid tenant id").doesNotContain("\n");
  }
}
