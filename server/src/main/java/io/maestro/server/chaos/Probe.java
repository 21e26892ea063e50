package io.maestro.server.chaos;

import io.maestro.server.chaos.DrillHttp.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The drill's tenant: a two-step workflow it publishes and runs, as any tenant administrator would,
 * to see ordinary actions go on (or be refused) during a fault.
 */
final class Probe {
  static final String WORKFLOW = "chaos-drill";

  private final DrillHttp http;
  private final String token;
  private String version;

  Probe(DrillHttp http, String token) {
    this.http = http;
    this.token = token;
  }

  String token() {
    return token;
  }

  /** Publishes a fresh version of the drill workflow. */
  void publish() {
    version = Long.toString(System.currentTimeMillis());
    String manifest =
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: %s, version: "%s"}
        spec:
          tasks:
            - {id: a, uses: core/log, with: {message: "chaos drill"}}
            - {id: b, uses: core/log, needs: [a], with: {message: "still running"}}
        """
            .formatted(WORKFLOW, version);
    String path = "/api/workflows/" + WORKFLOW + "/versions/" + version;
    require(http.call("PUT", path, token, manifest, "application/yaml"), "store the workflow");
    require(http.call("POST", path + "/publish", token, Map.of()), "publish the workflow");
  }

  /** Starts a run of the drill workflow; the answer as it came. */
  Reply start() {
    return http.call("POST", "/api/runs", token, Map.of("workflow", WORKFLOW));
  }

  /** The run's final status (waits up to 30 s), or the last one seen. */
  String await(String runId) {
    String status = "";
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      status = http.call("GET", "/api/runs/" + runId, token, null).body().path("status").asText();
      if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
        return status;
      }
      sleep(Duration.ofMillis(100));
    }
    return status;
  }

  /** How many receipts of {@code type} the tenant's log holds (up to 500). */
  int receipts(String type) {
    return require(
            http.call("GET", "/api/receipts?limit=500&type=" + type, token, null), "list receipts")
        .body()
        .path("receipts")
        .size();
  }

  /** Starts a run and waits for its end: its id and final status, or the refusal. */
  Started run() {
    Reply r = start();
    return r.status() == 202
        ? new Started(r, r.body().path("id").asText(), await(r.body().path("id").asText()))
        : new Started(r, "", "");
  }

  record Started(Reply reply, String id, String status) {
    boolean succeeded() {
      return reply.status() == 202 && "SUCCEEDED".equals(status);
    }

    String describe() {
      return reply.status() + (reply.code().isEmpty() ? "" : " " + reply.code()) + ", " + status;
    }

    /** Refused by the tenant's own quota (its steps per minute or concurrent runs), not a fault. */
    boolean overQuota() {
      return reply.status() == 429 && "quota_exceeded".equals(reply.code());
    }
  }

  /** Polls {@code call} every 100 ms until {@code done} or {@code within}; the last answer. */
  static Reply until(Supplier<Reply> call, Predicate<Reply> done, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    Reply r = call.get();
    while (!done.test(r) && System.nanoTime() < end) {
      sleep(Duration.ofMillis(100));
      r = call.get();
    }
    return r;
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static Reply require(Reply r, String what) {
    if (r.status() >= 300) {
      throw new IllegalStateException(
          "cannot " + what + ": " + r.status() + " " + r.code() + " " + r.body().path("detail"));
    }
    return r;
  }
}
