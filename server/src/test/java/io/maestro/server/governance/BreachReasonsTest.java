package io.maestro.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback controller's other two breach reasons over a real server: an SLO's fast burn over
 * the canary's own runs (with the error-rate rule set so high it cannot fire), and the tenant's
 * receipt backlog against its quota (with checkpoints held back). Each lowers the ramp under the
 * controller's decision and names its reason on the incident's timeline.
 */
class BreachReasonsTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;

  @BeforeAll
  static void start() {
    server =
        MaestroServer.start(
            TestServers.config(
                dir,
                Map.of(
                    "governance.rollback.intervalSeconds", "1",
                    "governance.rollback.minRuns", "3",
                    // A rate cannot exceed 100 %: only the SLO's burn can breach.
                    "governance.rollback.errorRatePercent", "100",
                    "governance.rollback.receiptBacklogPercent", "50",
                    "provenance.checkpointIntervalMillis", "3600000",
                    "provenance.checkpointEveryReceipts", "1000000")));
    api = new Api(server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void sloFastBurn_ofTheCanaryLowersItsRamp() throws Exception {
    String admin = api.token("acme", "ada@acme", "tenant_admin");
    Canaries c = new Canaries(api, "acme", admin);
    c.publish("shop", "1", "core/log");
    c.publish("shop", "2", "core/fail");
    assertThat(c.ramp("shop", "2", 10).status()).isEqualTo(200);
    c.runInside("shop", "2", 10, 3, "FAILED");

    JsonNode list = c.await("/api/incidents?status=open", b -> b.path("items").size() == 1);
    String id = list.path("items").get(0).path("id").asText();
    JsonNode t =
        c.await("/api/incidents/" + id, b -> b.path("timeline").size() >= 2).path("timeline");
    JsonNode breach = t.get(0).path("detail");
    assertThat(breach.path("reasons").toString()).isEqualTo("[\"slo_burn\"]");
    assertThat(breach.path("slo_burn").get(0).path("slo").asText()).isEqualTo("workflow-success");
    assertThat(breach.path("slo_burn").get(0).path("burn_rates").path("5m").asDouble())
        .isGreaterThan(14.4);
    assertThat(t.get(1).path("kind").asText()).isEqualTo("mitigation_applied");
    assertThat(t.get(1).path("detail").path("breach").toString()).isEqualTo("[\"slo_burn\"]");
    assertThat(c.await("/api/ramps", b -> b.path("items").get(0).path("percent").asInt() == 0))
        .isNotNull();
  }

  @Test
  void receiptBacklogAtItsThreshold_lowersTheCanaryRamp() throws Exception {
    String admin = api.token("globex", "gus@globex", "tenant_admin");
    Canaries c = new Canaries(api, "globex", admin);
    c.publish("mail", "1", "core/log");
    c.publish("mail", "2", "core/log");
    assertThat(c.ramp("mail", "2", 10).status()).isEqualTo(200);
    // No breach while the backlog is far below its quota.
    Thread.sleep(1500);
    assertThat(api.call("GET", "/api/incidents", admin, null).body().path("items").size()).isZero();

    String root = api.token(null, "root", "conductor_admin");
    Api.Reply patch =
        api.call(
            "PATCH",
            "/api/tenants/globex",
            root,
            Map.of("quotas", Map.of("max_receipt_backlog", 4)));
    assertThat(patch.status()).as(patch.body().toString()).isEqualTo(200);

    JsonNode list = c.await("/api/incidents?status=open", b -> b.path("items").size() == 1);
    String id = list.path("items").get(0).path("id").asText();
    JsonNode t =
        c.await("/api/incidents/" + id, b -> b.path("timeline").size() >= 2).path("timeline");
    JsonNode breach = t.get(0).path("detail");
    assertThat(breach.path("reasons").toString()).isEqualTo("[\"receipt_backlog\"]");
    assertThat(breach.path("receipt_backlog").path("max").asInt()).isEqualTo(4);
    assertThat(breach.path("receipt_backlog").path("unsigned").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(t.get(1).path("kind").asText()).isEqualTo("mitigation_applied");
    assertThat(c.await("/api/ramps", b -> b.path("items").get(0).path("percent").asInt() == 0))
        .isNotNull();
  }
}
