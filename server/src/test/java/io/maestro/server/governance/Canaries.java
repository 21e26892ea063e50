package io.maestro.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.governance.Bucketing;
import io.maestro.server.auth.Api;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Canary workflows over a real server's HTTP API, for the rollback controller's tests. */
final class Canaries {
  private final Api api;
  private final String token;
  private final String tenant;

  Canaries(Api api, String tenant, String token) {
    this.api = api;
    this.tenant = tenant;
    this.token = token;
  }

  /** Saves and publishes {@code name@version} with one task using {@code uses}. */
  void publish(String name, String version, String uses) {
    publish(
        name,
        version,
        Map.of(
            "tasks", List.of(Map.of("id", "pay", "uses", uses, "with", Map.of("message", "x")))));
  }

  /** Saves and publishes {@code name@version} with {@code spec} as its manifest's spec. */
  void publish(String name, String version, Map<String, Object> spec) {
    Map<String, Object> manifest =
        Map.of(
            "apiVersion",
            "maestro/v1",
            "kind",
            "Workflow",
            "metadata",
            Map.of("name", name, "version", version),
            "spec",
            spec);
    Api.Reply put =
        api.call("PUT", "/api/workflows/" + name + "/versions/" + version, token, manifest);
    assertThat(put.status()).as(put.body().toString()).isIn(200, 201);
    Api.Reply p =
        api.call(
            "POST", "/api/workflows/" + name + "/versions/" + version + "/publish", token, null);
    assertThat(p.status()).as(p.body().toString()).isEqualTo(200);
  }

  Api.Reply ramp(String name, String version, int percent) {
    return api.call(
        "PUT", "/api/ramps/" + name, token, Map.of("percent", percent, "version", version));
  }

  Api.Reply start(String name, String version, String key) {
    return api.call(
        "POST",
        "/api/runs",
        token,
        Map.of("workflow", name, "version", version, "idempotencyKey", key));
  }

  /** The n-th key (from {@code prefix}-0 on) whose bucket falls below {@code percent}. */
  String keyInside(String name, String prefix, int percent) {
    for (int i = 0; ; i++) {
      if (Bucketing.bucket(tenant, name, prefix + "-" + i) < percent) {
        return prefix + "-" + i;
      }
    }
  }

  /** Starts {@code n} pinned runs of {@code name@version} inside a ramp and waits them to end. */
  void runInside(String name, String version, int percent, int n, String status)
      throws InterruptedException {
    for (int k = 0; k < n; k++) {
      Api.Reply r = start(name, version, keyInside(name, name + version + "k" + k, percent));
      assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
      await(
          "/api/runs/" + r.body().path("id").asText(),
          b -> b.path("status").asText().equals(status));
    }
  }

  JsonNode await(String path, Predicate<JsonNode> done) throws InterruptedException {
    return await(path, done, 300);
  }

  /** The id of the tenant's one open incident. */
  String openIncident() throws InterruptedException {
    return await("/api/incidents?status=open", b -> b.path("items").size() == 1)
        .path("items")
        .get(0)
        .path("id")
        .asText();
  }

  /** The incident's timeline once it has at least {@code steps} steps. */
  JsonNode timeline(String id, int steps) throws InterruptedException {
    return await("/api/incidents/" + id, b -> b.path("timeline").size() >= steps).path("timeline");
  }

  /** The incident's timeline once its last step is {@code kind} (waiting up to 30 s). */
  JsonNode timelineEndingWith(String id, String kind) throws InterruptedException {
    return await(
            "/api/incidents/" + id,
            b -> {
              JsonNode t = b.path("timeline");
              return !t.isEmpty() && t.get(t.size() - 1).path("kind").asText().equals(kind);
            },
            600)
        .path("timeline");
  }

  /** Polls {@code path} every 50 ms, at most {@code tries} times, until {@code done}. */
  JsonNode await(String path, Predicate<JsonNode> done, int tries) throws InterruptedException {
    JsonNode last = null;
    for (int i = 0; i < tries; i++) {
      Api.Reply r = api.call("GET", path, token, null);
      last = r.body();
      if (r.status() == 200 && done.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting on " + path + ": " + last);
  }
}
