package io.maestro.server.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run through the real server is metered in the engine's transactions, and its usage, cost and
 * events are served per tenant behind the policy gate.
 */
class MeteringApiTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String admin;
  static String runId;
  static String window;

  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: metered, version: "1"}
      spec:
        tasks:
          - {id: hi, uses: core/log, with: {message: "hi"}}
          - {id: gate, uses: core/approval, needs: [hi]}
      """;

  @BeforeAll
  static void runOnce() throws Exception {
    server = TestServers.start(dir);
    api = new Api(server.port());
    admin = token("acme", "ada@acme", Map.of("environment", "prod"), "tenant_admin");
    String reviewer = api.token("acme", "rita@acme", "workflow_reviewer");
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.port()
                                + "/api/workflows/metered/versions/1"))
                    .header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(MANIFEST))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(api.call("POST", "/api/workflows/metered/versions/1/publish", admin, null).status())
        .isEqualTo(200);
    Api.Reply started = api.call("POST", "/api/runs", admin, Map.of("workflow", "metered"));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    runId = started.body().path("id").asText();
    awaitRun("WAITING", "gate");
    assertThat(
            api.call("POST", "/api/runs/" + runId + "/steps/gate/approve", reviewer, Map.of())
                .status())
        .isEqualTo(200);
    awaitRun("SUCCEEDED", null);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    window = "from=" + now.minus(Duration.ofHours(1)) + "&to=" + now.plus(Duration.ofHours(1));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String token(String tenant, String subject, Map<String, String> attrs, String... roles) {
    Map<String, Object> req = new HashMap<>();
    req.put("tenant", tenant);
    req.put("subject", subject);
    req.put("roles", List.of(roles));
    req.put("attributes", attrs);
    Api.Reply r = api.call("POST", "/api/dev/token", null, req);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return r.body().path("token").asText();
  }

  static void awaitRun(String status, String step) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      JsonNode run = api.call("GET", "/api/runs/" + runId, admin, null).body();
      if (step == null && run.path("status").asText().equals(status)) {
        return;
      }
      for (JsonNode s : run.path("steps")) {
        if (s.path("id").asText().equals(step) && s.path("status").asText().equals(status)) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("never reached " + status);
  }

  static JsonNode total(JsonNode usage, String type) {
    for (JsonNode t : usage.path("totals")) {
      if (t.path("type").asText().equals(type)) {
        return t;
      }
    }
    throw new AssertionError("no total for " + type + " in " + usage);
  }

  @Test
  void usage_countsTheRunItsStepsApprovalReceiptsAndStorageWithCost() {
    Api.Reply r =
        api.call("GET", "/api/tenants/acme/usage?" + window + "&groupBy=workflow,env", admin, null);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    JsonNode usage = r.body();
    assertThat(total(usage, "run_started").path("events").asLong()).isEqualTo(1);
    assertThat(total(usage, "step_executed").path("events").asLong())
        .as("hi ran once; gate ran until it waited and again when approved")
        .isGreaterThanOrEqualTo(2);
    assertThat(total(usage, "approval_decision").path("events").asLong()).isEqualTo(1);
    assertThat(total(usage, "receipt_emitted").path("events").asLong()).isGreaterThan(5);
    assertThat(total(usage, "storage_bytes_written").path("quantity").asLong()).isGreaterThan(1000);
    assertThat(usage.path("costUsd").asText()).isNotEqualTo("0E-9");
    assertThat(new java.math.BigDecimal(usage.path("costUsd").asText())).isPositive();
    assertThat(usage.path("priceBook").asText()).isEqualTo("2026-12-01");
    assertThat(usage.path("breakdown").findValuesAsText("workflow")).contains("metered");
    for (JsonNode line : usage.path("breakdown")) {
      if (line.path("workflow").asText().equals("metered")) {
        assertThat(line.path("env").asText()).as("the starter's environment").isEqualTo("prod");
      }
    }
  }

  @Test
  void events_areCloudEventsOfTheTenantFilteredByType() {
    Api.Reply r =
        api.call("GET", "/api/metering/events?" + window + "&type=run_started", admin, null);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    JsonNode events = r.body().path("events");
    assertThat(events).hasSize(1);
    JsonNode e = events.get(0);
    assertThat(e.path("specversion").asText()).isEqualTo("1.0");
    assertThat(e.path("type").asText()).isEqualTo("io.maestro.metering.run_started");
    assertThat(e.path("data").path("run_id").asText()).isEqualTo(runId);
    assertThat(e.path("data").path("workflow").asText()).isEqualTo("metered");
    assertThat(e.path("data").path("actor_type").asText()).isEqualTo("user");
    assertThat(r.body().path("next").isNull()).isTrue();

    Api.Reply page = api.call("GET", "/api/metering/events?" + window + "&limit=2", admin, null);
    assertThat(page.body().path("events")).hasSize(2);
    assertThat(page.body().path("next").asText()).isNotEmpty();
  }

  @Test
  void badInput_isAProblemWithAStableCode() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Map<String, String> cases =
        Map.of(
            "/api/tenants/acme/usage?" + window + "&groupBy=region", "usage_group_by_invalid",
            "/api/tenants/acme/usage?from=" + now + "&to=" + now.minusSeconds(3600),
                "usage_range_invalid",
            "/api/tenants/acme/usage?from=" + now.minus(Duration.ofDays(401)) + "&to=" + now,
                "usage_range_too_long",
            "/api/tenants/acme/usage?from=yesterday&to=" + now, "usage_range_invalid",
            "/api/tenants/acme/usage?" + window + "&interval=week", "usage_interval_invalid",
            "/api/metering/events?" + window + "&type=bogus", "metering_event_type_unknown",
            "/api/metering/events?" + window + "&cursor=x", "metering_cursor_invalid");
    cases.forEach(
        (path, code) -> {
          Api.Reply r = api.call("GET", path, admin, null);
          assertThat(r.status()).as(path).isEqualTo(422);
          assertThat(r.code()).as(path).isEqualTo(code);
          assertThat(r.raw().headers().firstValue("content-type").orElse(""))
              .startsWith("application/problem+json");
        });
  }

  @Test
  void anotherTenant_cannotReadTheUsage() {
    String globex = api.token("globex", "gil@globex", "tenant_admin");
    assertThat(api.call("GET", "/api/tenants/acme/usage?" + window, globex, null).status())
        .isEqualTo(403);
    Api.Reply own = api.call("GET", "/api/metering/events?" + window, globex, null);
    assertThat(own.status()).isEqualTo(200);
    // globex has usage of its own (the receipts of its provisioning and of that refusal), never
    // acme's.
    assertThat(own.body().path("events").findValuesAsText("tenant_id")).containsOnly("globex");
  }

  @Test
  void stream_isCloudEventsNdjsonResumableByCursor_andTenantScoped() throws Exception {
    HttpResponse<String> first = get("/api/metering/events/stream?limit=2");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("content-type").orElse(""))
        .startsWith("application/x-ndjson");
    List<String> lines = first.body().lines().toList();
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      JsonNode e = io.maestro.server.http.HttpJson.MAPPER.readTree(line);
      assertThat(e.path("specversion").asText()).isEqualTo("1.0");
      assertThat(e.path("data").path("tenant_id").asText()).isEqualTo("acme");
    }
    String cursor = first.headers().firstValue("Maestro-Next-Cursor").orElseThrow();
    HttpResponse<String> rest = get("/api/metering/events/stream?limit=10000&cursor=" + cursor);
    List<String> more = rest.body().lines().toList();
    assertThat(more).isNotEmpty().doesNotContainAnyElementsOf(lines);
    HttpResponse<String> all = get("/api/metering/events/stream?limit=10000");
    List<String> pages = java.util.stream.Stream.concat(lines.stream(), more.stream()).toList();
    // Background work (the checkpoint signer's receipts are metered too) may add events at the
    // end between requests, never before or between the pages.
    assertThat(all.body().lines().toList())
        .as("two pages make the whole stream")
        .startsWith(pages.toArray(String[]::new));
    String end = rest.headers().firstValue("Maestro-Next-Cursor").orElseThrow();
    HttpResponse<String> after = get("/api/metering/events/stream?cursor=" + end);
    assertThat(after.body().lines().toList()).doesNotContainAnyElementsOf(pages);
    if (after.body().isEmpty()) {
      assertThat(after.headers().firstValue("Maestro-Next-Cursor")).contains(end);
    }

    String globex = api.token("globex", "gil@globex", "tenant_admin");
    Api.Reply other = api.call("GET", "/api/metering/events/stream?limit=10000", globex, null);
    assertThat(other.status()).isEqualTo(200);
    for (String line : other.raw().body().lines().toList()) {
      assertThat(
              io.maestro.server.http.HttpJson.MAPPER
                  .readTree(line)
                  .path("data")
                  .path("tenant_id")
                  .asText())
          .isEqualTo("globex");
    }
    for (String bad : List.of("cursor=x", "cursor=-1", "limit=0", "limit=10001")) {
      Api.Reply r = api.call("GET", "/api/metering/events/stream?" + bad, admin, null);
      assertThat(r.status()).as(bad).isEqualTo(422);
      assertThat(r.code())
          .as(bad)
          .isEqualTo(bad.startsWith("cursor") ? "metering_cursor_invalid" : "validation_failed");
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + admin)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void export_isByteIdenticalTwiceWithItsDigestInHeadersAndAReceipt() throws Exception {
    // An export's own receipt is metered when it is written, so only a window that has closed
    // exports to the same bytes twice: wait for the minute the usage was recorded in to end.
    Instant cut = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), cut).toMillis()) + 50);
    String window = "from=" + cut.minus(Duration.ofHours(1)) + "&to=" + cut;
    HttpResponse<String> first = get("/api/tenants/acme/usage/export?" + window + "&format=csv");
    HttpResponse<String> second = get("/api/tenants/acme/usage/export?" + window + "&format=csv");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body());
    String sha = first.headers().firstValue("X-Maestro-SHA256").orElseThrow();
    assertThat(sha)
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(first.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    String snapshot = first.headers().firstValue("X-Maestro-Snapshot-Id").orElseThrow();
    assertThat(snapshot).isEqualTo("usage_" + sha.substring(0, 24));
    assertThat(first.body()).startsWith("day,workflow,env,type,unit,events,quantity,cost_usd\n");

    java.math.BigDecimal csvTotal =
        first
            .body()
            .lines()
            .skip(1)
            .map(l -> new java.math.BigDecimal(l.substring(l.lastIndexOf(',') + 1)))
            .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
    JsonNode usage = api.call("GET", "/api/tenants/acme/usage?" + window, admin, null).body();
    assertThat(csvTotal.setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString())
        .as("the export's total equals the usage API's to the cent")
        .isEqualTo(usage.path("costUsdRounded").asText());

    JsonNode receipts =
        api.call("GET", "/api/receipts?type=usage.exported", admin, null).body().path("receipts");
    assertThat(receipts.findValuesAsText("sha256")).contains(sha);

    HttpResponse<String> json = get("/api/tenants/acme/usage/export?" + window + "&format=json");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(exportCost(json.body())).isEqualTo(usage.path("costUsd").asText());
    assertThat(get("/api/tenants/acme/usage/export?" + window + "&format=xml").statusCode())
        .isEqualTo(422);
  }

  static String exportCost(String body) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(body)
        .path("cost_usd")
        .asText();
  }
}
