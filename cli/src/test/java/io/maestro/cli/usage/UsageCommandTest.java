package io.maestro.cli.usage;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro usage} against a real server after two runs of one workflow. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageCommandTest {
  @TempDir static Path dir;
  MaestroServer server;
  String url;
  String token;

  @BeforeAll
  void start() throws Exception {
    server =
        MaestroServer.start(
            new ConfigLoader(Map.of(), dir)
                .load(
                    Optional.empty(),
                    Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "dataDir", dir.resolve("data").toString(),
                        "log.level", "WARN")));
    url = "http://127.0.0.1:" + server.port();
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
            "--create");
    assertThat(issued.code()).as(issued.err()).isZero();
    token = issued.out().strip();
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
            - {id: bye, uses: core/log, needs: [hi], with: {message: "bye"}}
        """);
    for (int i = 0; i < 2; i++) {
      Run run = maestro("run", manifest.toString(), "--follow", "--url", url, "--token", token);
      assertThat(run.code()).as(run.out() + run.err()).isZero();
    }
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void usageByWorkflow_showsBothRunsTheirStepsReceiptsStorageAndCost() {
    Run r = maestro("usage", "--by", "workflow", "--url", url, "--token", token);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Usage of acme")
        .contains("run_started")
        .contains("step_executed")
        .contains("receipt_emitted")
        .contains("storage_bytes_written")
        .contains("greet")
        .containsPattern("Total cost: USD \\d+\\.\\d{2}");
  }

  @Test
  void usageAsCsv_hasOneLinePerWorkflowAndType() {
    Run r = maestro("usage", "--by", "workflow", "--format", "csv", "--url", url, "--token", token);
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("workflow,type,unit,events,quantity,costUsd");
    assertThat(lines).anyMatch(l -> l.startsWith("greet,run_started,run,2,2,"));
    assertThat(lines).anyMatch(l -> l.startsWith("greet,step_executed,step_ms,4,"));
  }

  @Test
  void badGrouping_isOneLineWithTheCode() {
    Run r = maestro("usage", "--by", "region", "--url", url, "--token", token);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("usage_group_by_invalid");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(maestro("usage", "--format", "xml", "--url", url, "--token", token).err())
        .contains("--format must be table, json or csv");
  }
}
