package io.maestro.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.nio.file.Path;
import java.util.List;
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
                    "governance.rollback.shortWindowSeconds", "10",
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
    // The canary fails after a nap; one of its runs naps for an hour and is still running when
    // the canary is paused.
    c.publish(
        "shop",
        "2",
        Map.of(
            "inputs",
            Map.of(
                "type",
                "object",
                "properties",
                Map.of("nap", Map.of("type", "string", "default", "10ms"))),
            "tasks",
            List.of(
                Map.of(
                    "id",
                    "nap",
                    "uses",
                    "core/wait",
                    "with",
                    Map.of("duration", "${{ inputs.nap }}")),
                Map.of(
                    "id",
                    "pay",
                    "uses",
                    "core/fail",
                    "needs",
                    List.of("nap"),
                    "with",
                    Map.of("message", "x")))));
    assertThat(c.ramp("shop", "2", 10).status()).isEqualTo(200);
    Api.Reply napping =
        api.call(
            "POST",
            "/api/runs",
            admin,
            Map.of(
                "workflow",
                "shop",
                "version",
                "2",
                "idempotencyKey",
                c.keyInside("shop", "napping", 10),
                "inputs",
                Map.of("nap", "1h")));
    assertThat(napping.status()).as(napping.body().toString()).isEqualTo(202);
    String held = napping.body().path("id").asText();
    c.runInside("shop", "2", 10, 3, "FAILED");

    String id = c.openIncident();
    JsonNode t = c.timeline(id, 2);
    JsonNode breach = t.get(0).path("detail");
    assertThat(breach.path("reasons").toString()).isEqualTo("[\"slo_burn\"]");
    assertThat(breach.path("slo_burn").get(0).path("slo").asText()).isEqualTo("workflow-success");
    assertThat(breach.path("slo_burn").get(0).path("burn_rates").path("5m").asDouble())
        .isGreaterThan(14.4);
    assertThat(t.get(1).path("kind").asText()).isEqualTo("mitigation_applied");
    assertThat(t.get(1).path("detail").path("breach").toString()).isEqualTo("[\"slo_burn\"]");
    assertThat(c.await("/api/ramps", b -> b.path("items").get(0).path("percent").asInt() == 0))
        .isNotNull();

    // The policy chose a pause of the canary's version for a fast burn: a kill switch in pause
    // mode, applied under the rollback's decision.
    t = c.timeline(id, 3);
    JsonNode pause = t.get(2).path("detail");
    assertThat(t.get(2).path("kind").asText()).isEqualTo("mitigation_applied");
    assertThat(pause.path("mitigation").asText()).isEqualTo("pause");
    assertThat(pause.path("decision_id").asText())
        .isEqualTo(t.get(1).path("detail").path("decision_id").asText());
    String ks = pause.path("kill_switch").asText();
    JsonNode switches = api.call("GET", "/api/kill-switches", admin, null).body().path("items");
    assertThat(switches.get(0).path("id").asText()).isEqualTo(ks);
    assertThat(switches.get(0).path("mode").asText()).isEqualTo("pause");
    // The canary's running run is paused with it, under its own run.pause decision.
    assertThat(pause.path("paused_runs").asInt()).isEqualTo(1);
    assertThat(api.call("GET", "/api/runs/" + held, admin, null).body().path("status").asText())
        .isEqualTo("PAUSED");
    // A start that pins the paused version waits; one that does not runs the stable version.
    assertThat(c.start("shop", "2", c.keyInside("shop", "pinned", 10)).reasonCodes())
        .contains("workflow_paused");
    Api.Reply routed =
        api.call("POST", "/api/runs", admin, Map.of("workflow", "shop", "idempotencyKey", "u-1"));
    assertThat(routed.status()).as(routed.body().toString()).isEqualTo(202);
    assertThat(routed.body().path("version").asText()).isEqualTo("1");

    // Quiet for the short window: recovered, and the pause is lifted by the controller.
    JsonNode done = c.timelineEndingWith(id, "mitigation_undone");
    JsonNode last = done.get(done.size() - 1).path("detail");
    assertThat(done.get(done.size() - 2).path("kind").asText()).isEqualTo("recovered");
    assertThat(last.path("kill_switch").asText()).isEqualTo(ks);
    assertThat(last.path("outcome").asText()).isEqualTo("lifted");
    assertThat(last.path("resumed_runs").asInt()).isEqualTo(1);
    assertThat(api.call("GET", "/api/runs/" + held, admin, null).body().path("status").asText())
        .isEqualTo("RUNNING");
    assertThat(api.call("GET", "/api/kill-switches", admin, null).body().path("items").size())
        .isZero();
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

    String id = c.openIncident();
    JsonNode t = c.timeline(id, 2);
    JsonNode breach = t.get(0).path("detail");
    assertThat(breach.path("reasons").toString()).isEqualTo("[\"receipt_backlog\"]");
    assertThat(breach.path("receipt_backlog").path("max").asInt()).isEqualTo(4);
    assertThat(breach.path("receipt_backlog").path("unsigned").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(t.get(1).path("kind").asText()).isEqualTo("mitigation_applied");
    assertThat(c.await("/api/ramps", b -> b.path("items").get(0).path("percent").asInt() == 0))
        .isNotNull();

    // The policy chose a throttle of the tenant for a receipt backlog.
    t = c.timeline(id, 3);
    assertThat(t.get(2).path("detail").path("mitigation").asText()).isEqualTo("throttle");
    String th = t.get(2).path("detail").path("throttle").asText();
    JsonNode throttles = api.call("GET", "/api/throttles", admin, null).body().path("items");
    assertThat(throttles.get(0).path("id").asText()).isEqualTo(th);
    assertThat(throttles.get(0).path("max_concurrent_runs").asInt()).isEqualTo(2);
    assertThat(throttles.get(0).path("active").asBoolean()).isTrue();

    // An operator lifts it by hand; a viewer may not; once the backlog is below its threshold
    // again the incident recovers and records that the throttle was already lifted.
    String viewer = api.token("globex", "vic@globex", "read_only");
    assertThat(api.call("DELETE", "/api/throttles/" + th, viewer, null).reasonCodes())
        .containsExactly("role_not_permitted");
    String ops = api.token("globex", "ops@globex", "operator");
    Api.Reply lift = api.call("DELETE", "/api/throttles/" + th, ops, null);
    assertThat(lift.status()).as(lift.body().toString()).isEqualTo(200);
    assertThat(lift.body().path("released_by").asText()).isEqualTo("ops@globex");
    assertThat(api.call("DELETE", "/api/throttles/" + th, ops, null).code())
        .isEqualTo("throttle_not_found");
    assertThat(
            api.call(
                    "PATCH",
                    "/api/tenants/globex",
                    root,
                    Map.of("quotas", Map.of("max_receipt_backlog", 10000)))
                .status())
        .isEqualTo(200);
    JsonNode done = c.timelineEndingWith(id, "mitigation_undone");
    JsonNode last = done.get(done.size() - 1).path("detail");
    assertThat(last.path("throttle").asText()).isEqualTo(th);
    assertThat(last.path("outcome").asText()).isEqualTo("already_lifted");
  }

  @Test
  void operatorPause_holdsNewStartsUntilReleased() throws Exception {
    String admin = api.token("initech", "ian@initech", "tenant_admin");
    Canaries c = new Canaries(api, "initech", admin);
    c.publish("report", "1", "core/log");
    Api.Reply bad =
        api.call(
            "POST",
            "/api/kill-switches",
            admin,
            Map.of("scope", "workflow", "target", "report", "mode", "nap"));
    assertThat(bad.code()).isEqualTo("kill_switch_invalid");
    Api.Reply pause =
        api.call(
            "POST",
            "/api/kill-switches",
            admin,
            Map.of("scope", "workflow", "target", "report", "mode", "pause", "reason", "maint"));
    assertThat(pause.status()).as(pause.body().toString()).isEqualTo(201);
    assertThat(pause.body().path("mode").asText()).isEqualTo("pause");
    Api.Reply held =
        api.call("POST", "/api/runs", admin, Map.of("workflow", "report", "idempotencyKey", "r-1"));
    assertThat(held.status()).isEqualTo(403);
    assertThat(held.reasonCodes()).containsExactly("workflow_paused");
    assertThat(
            api.call(
                    "DELETE", "/api/kill-switches/" + pause.body().path("id").asText(), admin, null)
                .status())
        .isEqualTo(200);
    assertThat(
            api.call(
                    "POST",
                    "/api/runs",
                    admin,
                    Map.of("workflow", "report", "idempotencyKey", "r-1"))
                .status())
        .isEqualTo(202);
  }
}
