package io.maestro.server.worker;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task-queue API over HTTP on a real server, behind the real policy gate and canon packs. */
class WorkerApiTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String operator;
  static String billing;
  static String shipping;

  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: invoice, version: "1"}
      spec:
        tasks:
          - id: charge
            uses: worker/billing
            with:
              input: {amount: 42}
              output_schema: {type: object, required: [receipt]}
      """;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dir);
    api = new Api(server.port());
    String author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
    operator = api.token("acme", "olga@acme", "operator");
    billing = workerToken("svc-billing", "billing refunds");
    shipping = workerToken("svc-shipping", "shipping");
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.port()
                                + "/api/workflows/invoice/versions/1"))
                    .header("Authorization", "Bearer " + author)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(MANIFEST))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(api.call("POST", "/api/workflows/invoice/versions/1/publish", author, null).status())
        .isEqualTo(200);
  }

  static String workerToken(String subject, String queues) {
    return api.workerToken("acme", subject, queues);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Map<String, Object> poll(String... queues) {
    return Map.of("worker", "w-1", "queues", List.of(queues), "wait_seconds", 10);
  }

  @Test
  void worker_pollsCompletesAndTheRunSucceeds_refusalsAreStableProblems() throws Exception {
    String runId =
        api.call("POST", "/api/runs", operator, Map.of("workflow", "invoice"))
            .body()
            .path("id")
            .asText();

    // A token that does not hold the queue is refused by policy, and so is a role without it.
    Api.Reply foreign = api.call("POST", "/api/worker/poll", shipping, poll("billing"));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.reasonCodes()).containsExactly("queue_not_granted");
    assertThat(api.call("POST", "/api/worker/poll", operator, poll("billing")).reasonCodes())
        .contains("role_not_permitted");
    Api.Reply bad =
        api.call("POST", "/api/worker/poll", billing, Map.of("worker", "w-1", "queues", "billing"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.code()).isEqualTo("worker_request_invalid");

    Api.Reply polled = api.call("POST", "/api/worker/poll", billing, poll("billing"));
    assertThat(polled.status()).as(polled.body().toString()).isEqualTo(200);
    JsonNode task = polled.body().path("tasks").get(0);
    assertThat(task.path("run_id").asText()).isEqualTo(runId);
    assertThat(task.path("input").path("amount").asInt()).isEqualTo(42);
    String id = task.path("task_id").asText();
    String base = "/api/worker/tasks/" + id;

    assertThat(api.call("POST", base + "/heartbeat", shipping, Map.of()).reasonCodes())
        .containsExactly("queue_not_granted");
    assertThat(api.call("POST", base + "/heartbeat", billing, Map.of()).status()).isEqualTo(200);
    Api.Reply invalid =
        api.call("POST", base + "/complete", billing, Map.of("worker", "w-1", "outputs", Map.of()));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.code()).isEqualTo("worker_output_invalid");
    Api.Reply huge =
        api.call(
            "POST",
            base + "/complete",
            billing,
            Map.of("worker", "w-1", "outputs", Map.of("receipt", "x".repeat(1_100_000))));
    assertThat(huge.status()).as(huge.body().toString()).isIn(413);

    Api.Reply done =
        api.call(
            "POST",
            base + "/complete",
            billing,
            Map.of("worker", "w-1", "outputs", Map.of("receipt", "r-9")));
    assertThat(done.status()).as(done.body().toString()).isEqualTo(200);
    assertThat(done.body().path("step_status").asText()).isEqualTo("SUCCEEDED");
    Api.Reply again =
        api.call(
            "POST",
            base + "/complete",
            billing,
            Map.of("worker", "w-1", "outputs", Map.of("receipt", "r-10")));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("worker_task_not_held");

    JsonNode run = awaitEnd(runId);
    assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.path("steps").get(0).path("outputs").path("receipt").asText()).isEqualTo("r-9");
  }

  static JsonNode awaitEnd(String runId) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      JsonNode r = api.call("GET", "/api/runs/" + runId, operator, null).body();
      if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(r.path("status").asText())) {
        return r;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("run " + runId + " did not end");
  }
}
