package io.maestro.server.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.auth.Api;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every receipt in a tenant's log is metered exactly once, whoever wrote it: the engine's (a run,
 * its steps) and those written outside it — a budget change, a policy denial, a usage export, a
 * webhook registration and rotation and deletion. Each receipt has exactly one {@code
 * receipt_emitted} event and one {@code storage_bytes_written} event, both keyed by its id (the
 * CloudEvents id is the name-based UUID of tenant, type and receipt id, recomputed here); and the
 * run's stored inputs, step outputs and log lines each have one {@code storage_bytes_written} event
 * with their size.
 */
abstract class ReceiptMeteringContract {
  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: counted, version: "1"}
      spec:
        tasks:
          - {id: hi, uses: core/log, with: {message: "hi"}}
      """;

  @TempDir Path dir;

  abstract MaestroServer start(Path dataDir);

  void stop(MaestroServer server) {
    server.close();
  }

  @Test
  void everyReceiptInTheLog_hasExactlyOneReceiptEmittedEvent() throws Exception {
    Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(1, ChronoUnit.MINUTES);
    MaestroServer server = start(dir);
    try {
      Api api = new Api(server.port());
      String admin = api.token("acme", "ada@acme", "tenant_admin");
      String reader = api.token("acme", "rita@acme", "read_only");
      BudgetReservationContract.publish(server.port(), admin, "counted", MANIFEST);
      String run =
          api.call("POST", "/api/runs", admin, Map.of("workflow", "counted"))
              .body()
              .path("id")
              .asText();
      awaitEnd(api, admin, run);
      Map<String, Object> budget = new HashMap<>();
      budget.put("dailyMaxUSD", 50);
      budget.put("monthlyMaxUSD", null);
      assertThat(api.call("PUT", "/api/tenants/acme/budget", admin, budget).status())
          .isEqualTo(200);
      assertThat(api.call("POST", "/api/runs", reader, Map.of("workflow", "counted")).status())
          .as("a denial is receipted")
          .isEqualTo(403);
      JsonNode hook =
          api.call(
                  "POST",
                  "/api/billing/webhooks",
                  admin,
                  Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of("run_started")))
              .body();
      String hookId = hook.path("id").asText();
      assertThat(
              api.call("POST", "/api/billing/webhooks/" + hookId + "/rotate", admin, null).status())
          .isEqualTo(200);
      assertThat(api.call("DELETE", "/api/billing/webhooks/" + hookId, admin, null).status())
          .isEqualTo(204);
      Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(2, ChronoUnit.MINUTES);
      assertThat(
              api.call(
                      "GET",
                      "/api/tenants/acme/usage/export?from=" + from + "&to=" + to + "&format=csv",
                      admin,
                      null)
                  .status())
          .isEqualTo(200);

      List<JsonNode> receipts = receipts(api, admin);
      Map<String, List<Long>> emitted = events(api, admin, "receipt_emitted", from, to);
      Map<String, List<Long>> stored = events(api, admin, "storage_bytes_written", from, to);
      Set<String> types = new HashSet<>();
      for (JsonNode r : receipts) {
        String id = r.path("id").asText();
        String type = r.path("type").asText();
        types.add(type);
        assertThat(emitted.getOrDefault(eventId("receipt_emitted", id), List.of()))
            .as("receipt_emitted events of %s receipt %s", type, id)
            .containsExactly(1L);
        assertThat(stored.getOrDefault(eventId("storage_bytes_written", id), List.of()))
            .as("storage_bytes_written events of %s receipt %s", type, id)
            .hasSize(1);
      }
      assertThat(types)
          .contains(
              "run.started",
              "step.completed",
              "budget.set",
              "policy.denied",
              "webhook.registered",
              "webhook.secret_rotated",
              "webhook.deleted",
              "usage.exported");
      // The run's stored inputs, its step's outputs and each log line are storage too, one event
      // per write, with its size.
      assertThat(stored.get(eventId("storage_bytes_written", run + "/inputs"))).containsExactly(2L);
      assertThat(stored.get(eventId("storage_bytes_written", run + "/hi#1/outputs")))
          .as("{\"message\":\"hi\"}")
          .containsExactly(16L);
      List<String> logLines =
          api.call("GET", "/api/runs/" + run + "/logs", admin, null).raw().body().lines().toList();
      assertThat(logLines).isNotEmpty();
      for (String line : logLines) {
        JsonNode l = io.maestro.server.http.HttpJson.MAPPER.readTree(line);
        assertThat(
                stored.get(
                    eventId("storage_bytes_written", run + "/log/" + l.path("seq").asLong())))
            .as("storage of log line %s", line)
            .containsExactly(
                (long) l.path("message").asText().getBytes(StandardCharsets.UTF_8).length);
      }
      // And no event for a receipt that is not in the log (read again: the log only grows).
      Set<String> known = new HashSet<>();
      for (JsonNode r : receipts(api, admin)) {
        known.add(eventId("receipt_emitted", r.path("id").asText()));
      }
      assertThat(known).containsAll(emitted.keySet());
      assertThat(emitted.size()).isGreaterThanOrEqualTo(receipts.size());
    } finally {
      stop(server);
    }
  }

  /** The CloudEvents id metering gives an event: a name-based UUID of tenant, type and key. */
  static String eventId(String type, String receiptId) {
    return UUID.nameUUIDFromBytes(
            ("acme\n" + type + "\n" + receiptId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  static List<JsonNode> receipts(Api api, String token) {
    List<JsonNode> out = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = api.call("GET", "/api/receipts?limit=500&after=" + after, token, null).body();
      page.path("receipts").forEach(out::add);
      if (page.path("next_after").isNull() || page.path("next_after").isMissingNode()) {
        return out;
      }
      after = page.path("next_after").asLong();
    }
  }

  /** The quantities of the events of one type in the window, by CloudEvents id. */
  static Map<String, List<Long>> events(
      Api api, String token, String type, Instant from, Instant to) {
    Map<String, List<Long>> out = new HashMap<>();
    String cursor = null;
    do {
      JsonNode page =
          api.call(
                  "GET",
                  "/api/metering/events?from="
                      + from
                      + "&to="
                      + to
                      + "&type="
                      + type
                      + "&limit=1000"
                      + (cursor == null ? "" : "&cursor=" + cursor),
                  token,
                  null)
              .body();
      page.path("events")
          .forEach(
              e ->
                  out.computeIfAbsent(e.path("id").asText(), k -> new ArrayList<>())
                      .add(e.path("data").path("quantity").asLong()));
      cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
    } while (cursor != null);
    return out;
  }

  static void awaitEnd(Api api, String token, String runId) throws InterruptedException {
    for (int i = 0; i < 1000; i++) {
      String status =
          api.call("GET", "/api/runs/" + runId, token, null).body().path("status").asText();
      if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("run " + runId + " never ended");
  }
}
