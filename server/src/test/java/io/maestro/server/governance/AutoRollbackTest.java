package io.maestro.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.maestro.governance.Bucketing;
import io.maestro.metering.webhooks.WebhookSignature;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synthetic breach: a canary version whose steps fail is ramped to 10 %; the rollback
 * controller, checking every second, lowers its ramp to 0 % under its own policy decision, opens an
 * incident whose timeline has the numbers and the mitigation, and the stable version keeps serving.
 * Then an operator closes the incident.
 */
class AutoRollbackTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    server =
        MaestroServer.start(
            TestServers.config(
                dir,
                Map.of(
                    "governance.rollback.intervalSeconds", "1",
                    "governance.rollback.minRuns", "3",
                    "governance.rollback.shortWindowSeconds", "60",
                    "governance.rollback.longWindowSeconds", "600",
                    "governance.slo.evaluationIntervalSeconds", "1")));
    api = new Api(server.port());
    admin = api.token("acme", "ada@acme", "tenant_admin");
    put("shop", "1", "- {id: pay, uses: core/log, with: {message: paid}}");
    put("shop", "2", "- {id: pay, uses: core/fail, with: {message: card service down}}");
    for (String v : List.of("1", "2")) {
      Api.Reply p = api.call("POST", "/api/workflows/shop/versions/" + v + "/publish", admin, null);
      assertThat(p.status()).as(p.body().toString()).isEqualTo(200);
    }
  }

  /** A webhook receiver: each request's headers and body. */
  record Received(Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse("");
    }
  }

  static final List<Received> received = new java.util.concurrent.CopyOnWriteArrayList<>();
  static HttpServer receiver;

  static String startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(new Received(Map.copyOf(ex.getRequestHeaders()), body));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.stop(0);
  }

  static void put(String name, String version, String task) throws Exception {
    String manifest =
        "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: %s, version: \"%s\"}\nspec:\n  tasks:\n    %s\n"
            .formatted(name, version, task);
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:%d/api/workflows/%s/versions/%s"
                                .formatted(server.port(), name, version)))
                    .header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  static Api.Reply startRun(String version, String key) {
    return api.call(
        "POST",
        "/api/runs",
        admin,
        Map.of("workflow", "shop", "version", version, "idempotencyKey", key));
  }

  static final String SLI = "mc_slo_sli_ratio{slo=\"workflow-success\",tenant=\"acme\"} 0.25";

  static JsonNode await(String path, Predicate<JsonNode> done) throws InterruptedException {
    JsonNode last = null;
    for (int i = 0; i < 300; i++) {
      Api.Reply r = api.call("GET", path, admin, null);
      last = r.body();
      if (r.status() == 200 && done.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting on " + path + ": " + last);
  }

  @Test
  void failingCanary_isRolledBackWithAnIncidentAndTheStableVersionKeepsServing() throws Exception {
    // Incident notifications go to the tenant's webhook endpoints that asked for them.
    Api.Reply hook =
        api.call(
            "POST",
            "/api/billing/webhooks",
            admin,
            Map.of(
                "url",
                startReceiver(),
                "eventTypes",
                List.of("incident_opened", "incident_updated", "incident_closed")));
    assertThat(hook.status()).as(hook.body().toString()).isEqualTo(201);
    String secret = hook.body().path("secret").asText();
    Api.Reply ramp =
        api.call("PUT", "/api/ramps/shop", admin, Map.of("percent", 10, "version", "2"));
    assertThat(ramp.status()).as(ramp.body().toString()).isEqualTo(200);

    // Three canary starts that fall inside the 10 % ramp; each fails.
    List<String> canary = new ArrayList<>();
    for (int i = 0; canary.size() < 3; i++) {
      String key = "order-" + i;
      if (Bucketing.bucket("acme", "shop", key) < 10) {
        Api.Reply r = startRun("2", key);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
        canary.add(r.body().path("id").asText());
      }
    }
    for (String id : canary) {
      assertThat(await("/api/runs/" + id, b -> b.path("status").asText().equals("FAILED")))
          .isNotNull();
    }

    JsonNode ramps =
        await(
            "/api/ramps", b -> b.path("items").get(0).path("percent").decimalValue().signum() == 0);
    assertThat(ramps.path("items").get(0).path("step").asInt()).isEqualTo(2);
    JsonNode history = api.call("GET", "/api/ramps/history?workflow=shop", admin, null).body();
    assertThat(history.path("items").get(0).path("changed_by").asText())
        .isEqualTo("system:rollback-controller");

    JsonNode list = await("/api/incidents?status=open", b -> b.path("items").size() == 1);
    String id = list.path("items").get(0).path("id").asText();
    JsonNode incident = await("/api/incidents/" + id, b -> b.path("timeline").size() >= 2);
    JsonNode timeline = incident.path("timeline");
    assertThat(timeline.get(0).path("kind").asText()).isEqualTo("breach_detected");
    assertThat(timeline.get(0).path("detail").path("short").path("failed").asInt()).isEqualTo(3);
    assertThat(timeline.get(0).path("detail").path("short").path("error_rate_percent").asDouble())
        .isEqualTo(100.0);
    assertThat(timeline.get(1).path("kind").asText()).isEqualTo("mitigation_applied");
    assertThat(timeline.get(1).path("detail").path("to").asInt()).isZero();
    assertThat(timeline.get(1).path("detail").path("decision_id").asText()).isNotBlank();

    // The canary admits nothing now; the stable version keeps serving.
    String outside = null;
    for (int i = 0; outside == null; i++) {
      if (Bucketing.bucket("acme", "shop", "later-" + i) < 10) {
        outside = "later-" + i;
      }
    }
    // A start that pins the canary is refused; one that does not is routed to the stable version,
    // and the run's admission names the ramp and bucket that routed it.
    // The workflow-success SLO of the canary burns fast as well: the policy also paused it.
    assertThat(startRun("2", outside).reasonCodes())
        .containsExactlyInAnyOrder("ramp_excluded", "workflow_paused");
    Api.Reply stable =
        api.call("POST", "/api/runs", admin, Map.of("workflow", "shop", "idempotencyKey", outside));
    assertThat(stable.status()).as(stable.body().toString()).isEqualTo(202);
    assertThat(stable.body().path("version").asText()).isEqualTo("1");
    assertThat(stable.body().path("routedFrom").asText()).isEqualTo("2");
    JsonNode explained =
        api.call(
                "GET",
                "/api/runs/" + stable.body().path("id").asText() + "?explain=true",
                admin,
                null)
            .body();
    assertThat(explained.path("version").asText()).isEqualTo("1");
    JsonNode routed = explained.path("admission").path("routed");
    assertThat(routed.path("from").asText()).isEqualTo("2");
    assertThat(routed.path("reason").asText()).isEqualTo("ramp_excluded");
    assertThat(routed.path("percent").asInt()).isZero();
    assertThat(routed.path("bucket").asDouble())
        .isEqualTo(Bucketing.bucket("acme", "shop", outside));
    assertThat(
            await(
                "/api/runs/" + stable.body().path("id").asText(),
                b -> b.path("status").asText().equals("SUCCEEDED")))
        .isNotNull();

    // The workflow-success SLO of the tenant sees 3 failed of 4 finished runs and pages.
    JsonNode slos = api.call("GET", "/api/slos", admin, null).body();
    JsonNode success = slos.path("items").get(0);
    assertThat(success.path("name").asText()).isEqualTo("workflow-success");
    assertThat(success.path("events").asInt()).isEqualTo(4);
    assertThat(success.path("badEvents").asInt()).isEqualTo(3);
    assertThat(success.path("sliPercent").asDouble()).isEqualTo(25.0);
    assertThat(success.path("errorBudgetRemainingPercent").asDouble()).isZero();
    assertThat(success.path("alerts").get(0).path("severity").asText()).isEqualTo("page");
    assertThat(success.path("alerts").get(0).path("firing").asBoolean()).isTrue();
    assertThat(slos.path("items").get(2).path("evaluatedBy").asText()).isEqualTo("prometheus");

    // The same evaluation reaches /metrics as mc_slo_* gauges within the evaluation interval.
    String metrics = "";
    for (int i = 0; i < 100 && !metrics.contains(SLI); i++) {
      Thread.sleep(100);
      metrics = api.call("GET", "/metrics", null, null).raw().body();
    }
    assertThat(metrics)
        .contains(SLI)
        .contains(
            "mc_slo_error_budget_remaining_ratio{slo=\"workflow-success\",tenant=\"acme\"} 0.0")
        .contains("mc_slo_burn_rate{slo=\"workflow-success\",tenant=\"acme\",window=\"5m\"}");

    // An operator closes it; closing twice is refused.
    String ops = api.token("acme", "ops@acme", "operator");
    Api.Reply close =
        api.call(
            "POST",
            "/api/incidents/" + id + "/close",
            ops,
            Map.of("comment", "card service restored"));
    assertThat(close.status()).as(close.body().toString()).isEqualTo(200);
    assertThat(close.body().path("closed_by").asText()).isEqualTo("ops@acme");
    assertThat(
            close
                .body()
                .path("timeline")
                .get(close.body().path("timeline").size() - 1)
                .path("kind")
                .asText())
        .isEqualTo("closed");
    assertThat(api.call("POST", "/api/incidents/" + id + "/close", ops, null).code())
        .isEqualTo("incident_closed");

    // Every step reached the webhook receiver, signed: opened, the updates, closed.
    for (int i = 0;
        i < 200 && received.stream().noneMatch(r -> r.body().contains("incident_closed"));
        i++) {
      Thread.sleep(50);
    }
    List<JsonNode> events = new ArrayList<>();
    for (Received r : received) {
      assertThat(
              WebhookSignature.verify(
                  r.header("webhook-id"),
                  Long.parseLong(r.header("webhook-timestamp")),
                  r.body(),
                  r.header("webhook-signature"),
                  secret))
          .isTrue();
      events.add(io.maestro.core.json.Json.MAPPER.readTree(r.body()));
    }
    JsonNode opened =
        events.stream()
            .filter(e -> e.path("type").asText().equals("io.maestro.governance.incident_opened"))
            .findFirst()
            .orElseThrow();
    assertThat(opened.path("data").path("incident").asText()).isEqualTo(id);
    assertThat(opened.path("data").path("step").asText()).isEqualTo("breach_detected");
    assertThat(opened.path("data").path("detail").path("short").path("failed").asInt())
        .isEqualTo(3);
    assertThat(events)
        .extracting(e -> e.path("data").path("step").asText())
        .contains("mitigation_applied", "closed");
    JsonNode closed =
        events.stream()
            .filter(e -> e.path("type").asText().equals("io.maestro.governance.incident_closed"))
            .findFirst()
            .orElseThrow();
    assertThat(closed.path("data").path("actor").asText()).isEqualTo("ops@acme");
    assertThat(closed.path("data").path("detail").path("comment").asText())
        .isEqualTo("card service restored");
    assertThat(api.call("GET", "/api/incidents/inc_nope", admin, null).code())
        .isEqualTo("incident_not_found");
    String viewer = api.token("acme", "viewer@acme", "read_only");
    assertThat(api.call("POST", "/api/incidents/" + id + "/close", viewer, null).reasonCodes())
        .containsExactly("role_not_permitted");
    String other = api.token("globex", "eve@globex", "tenant_admin");
    assertThat(api.call("GET", "/api/incidents/" + id, other, null).status()).isEqualTo(404);
  }
}
