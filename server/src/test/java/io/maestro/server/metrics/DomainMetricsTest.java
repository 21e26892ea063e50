package io.maestro.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The domain series on /metrics, scraped after real traffic through the HTTP API. */
class DomainMetricsTest {
  @TempDir Path dir;

  @Test
  void metrics_afterRunsAndDenials_reportPolicyRunQueueAndCheckpointSeries() throws Exception {
    MaestroServer server = TestServers.start(dir);
    try (server) {
      Api api = new Api(server.port());
      String author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
      String operator = api.token("acme", "olga@acme", "operator");
      String reader = api.token("acme", "rob@acme", "read_only");
      Api.Reply put =
          api.call(
              "PUT",
              "/api/workflows/counted/versions/1",
              author,
              Map.of(
                  "apiVersion",
                  "maestro/v1",
                  "kind",
                  "Workflow",
                  "metadata",
                  Map.of("name", "counted", "version", "1"),
                  "spec",
                  Map.of("tasks", List.of(Map.of("id", "a", "uses", "core/noop")))));
      assertThat(put.status()).as(put.body().toString()).isEqualTo(201);
      api.call("POST", "/api/workflows/counted/versions/1/publish", author, null);
      String runId =
          api.call("POST", "/api/runs", operator, Map.of("workflow", "counted"))
              .body()
              .path("id")
              .asText();
      assertThat(api.call("POST", "/api/runs", reader, Map.of("workflow", "counted")).status())
          .isEqualTo(403);
      String status = "";
      for (int i = 0; i < 100 && !status.equals("SUCCEEDED"); i++) {
        status =
            api.call("GET", "/api/runs/" + runId, operator, null).body().path("status").asText();
        Thread.sleep(50);
      }
      assertThat(status).isEqualTo("SUCCEEDED");
      // The run counts are read at most twice a second.
      Thread.sleep(600);

      String metrics = api.call("GET", "/metrics", null, null).raw().body();
      assertThat(metrics)
          .containsPattern("(?m)^mc_policy_eval_ms_count [1-9]")
          .containsPattern("(?m)^mc_policy_eval_ms_bucket\\{le=\"1\\.0\"\\} ")
          .containsPattern(
              "(?m)^mc_tenant_denies_total\\{reason=\"[a-z_]+\",tenant=\"acme\"\\} 1\\.0$")
          .containsPattern("(?m)^mc_runs_total\\{status=\"SUCCEEDED\"\\} 1\\.0$")
          .containsPattern("(?m)^mc_runs_total\\{status=\"FAILED\"\\} 0\\.0$")
          .containsPattern("(?m)^mc_queue_depth [0-9]")
          .containsPattern("(?m)^mc_lease_redeliveries_total 0\\.0$")
          .containsPattern("(?m)^mc_checkpoint_lag_seconds ")
          .containsPattern("(?m)^mc_receipts_appended_total [1-9]")
          .containsPattern("(?m)^mc_step_duration_seconds_count\\{outcome=\"step.completed\"\\} 1$")
          .containsPattern(
              "(?m)^mc_step_duration_seconds_bucket\\{outcome=\"step.completed\",le=\"0\\.5\"\\} ");
    }
  }

  @Test
  void tenantLabels_keepTheFirstTenantsAndCountTheRestAsOther() {
    TenantLabels labels = new TenantLabels(2);
    assertThat(labels.label(Optional.of("acme"))).isEqualTo("acme");
    assertThat(labels.label(Optional.of("globex"))).isEqualTo("globex");
    assertThat(labels.label(Optional.of("initech"))).isEqualTo(TenantLabels.OTHER);
    assertThat(labels.label(Optional.of("acme"))).isEqualTo("acme");
    assertThat(labels.label(Optional.empty())).isEqualTo(TenantLabels.PLATFORM);
  }
}
