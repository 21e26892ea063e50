package io.maestro.cli.backup;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.core.config.MaestroConfig;
import io.maestro.core.json.Json;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptLog;
import io.maestro.server.MaestroServer;
import io.maestro.store.TenantScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maestro backup}, {@code maestro restore} and {@code maestro drill restore} on the embedded
 * database: the restored copy holds the same logs, and the drill verifies them, runs a workflow and
 * reports RTO and RPO with a {@code drill.completed} receipt.
 */
class BackupRestoreDrillTest {
  @TempDir Path dir;

  static MaestroConfig config(Path dataDir) {
    return new ConfigLoader(Map.of(), dataDir)
        .load(
            Optional.empty(),
            Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "dataDir", dataDir.toString(),
                "log.level", "WARN"));
  }

  /**
   * Starts a server on {@code data}, runs a workflow in tenant acme, stops it; returns acme's size.
   */
  long seed(Path data) throws Exception {
    try (MaestroServer server = MaestroServer.start(config(data))) {
      String url = "http://127.0.0.1:" + server.port();
      Run issued =
          maestro(
              "token",
              "issue",
              "--dev",
              "--url",
              url,
              "--tenant",
              "acme",
              "--role",
              "tenant_admin",
              "--role",
              "operator",
              "--create");
      assertThat(issued.code()).as(issued.err()).isZero();
      Path manifest = dir.resolve("greet.yaml");
      Files.writeString(
          manifest,
          """
          apiVersion: maestro/v1
          kind: Workflow
          metadata: {name: greet, version: "1"}
          spec:
            tasks:
              - {id: hi, uses: core/log, with: {message: "hi"}}
          """);
      Run run =
          maestro(
              "run",
              manifest.toString(),
              "--follow",
              "--url",
              url,
              "--token",
              issued.out().strip());
      assertThat(run.code()).as(run.out() + run.err()).isZero();
      Thread.sleep(1500); // let the checkpointer sign the run's receipts
      return size(server, "acme");
    }
  }

  static long size(MaestroServer server, String tenant) {
    return server
        .database()
        .inTransaction(
            TenantScope.platform(),
            tx -> new ReceiptLog("x").size(tx, LogId.tenant(io.maestro.core.TenantId.of(tenant))));
  }

  @Test
  void backupThenRestore_intoANewDataDirectory_keepsEveryReceipt() throws Exception {
    Path data = dir.resolve("data");
    long size = seed(data);
    Path backup = dir.resolve("backup");
    Run b = maestro("backup", "-o", backup.toString(), "--data-dir", data.toString());
    assertThat(b.code()).as(b.err()).isZero();
    assertThat(b.out()).contains("backed up h2 database");
    assertThat(maestro("backup", "-o", backup.toString(), "--data-dir", data.toString()).err())
        .contains("is not empty");

    Path restored = dir.resolve("restored");
    Run r = maestro("restore", backup.toString(), "--data-dir", restored.toString());
    assertThat(r.code()).as(r.err()).isZero();
    try (MaestroServer server = MaestroServer.start(config(restored))) {
      assertThat(size(server, "acme")).isEqualTo(size);
    }
  }

  @Test
  void drillRestore_verifiesEveryLog_runsAWorkflow_andReportsRtoAndRpo() throws Exception {
    Path data = dir.resolve("data");
    seed(data);
    Path out = dir.resolve("drill");
    Run d = maestro("drill", "restore", "-o", out.toString(), "--data-dir", data.toString());
    assertThat(d.code()).as(d.out() + d.err()).isZero();
    assertThat(d.out()).contains("RTO").contains("RPO").contains("Result: PASSED");
    JsonNode report = Json.MAPPER.readTree(Files.readString(out.resolve("drill.json")));
    assertThat(report.path("synthetic_run").asText()).isEqualTo("SUCCEEDED");
    assertThat(report.path("logs").findValuesAsText("log")).contains("acme");
    assertThat(report.path("rto_seconds").isNumber()).isTrue();
    assertThat(report.path("rpo_seconds").isNumber()).isTrue();
    System.out.printf(
        "restore drill: RTO %.1f s, RPO %.1f s%n",
        report.path("rto_seconds").asDouble(), report.path("rpo_seconds").asDouble());
    // The source's platform log records the drill.
    try (MaestroServer server = MaestroServer.start(config(data))) {
      boolean recorded =
          server
              .database()
              .inTransaction(
                  TenantScope.platform(),
                  tx ->
                      new ReceiptLog("x")
                          .list(tx, LogId.platform(), ReceiptLog.Query.all(500)).receipts().stream()
                              .anyMatch(x -> x.type().toString().equals("drill.completed")));
      assertThat(recorded).isTrue();
    }
  }
}
