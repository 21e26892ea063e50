package io.maestro.cli.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliRunner;
import io.maestro.cli.DevHttp;
import io.maestro.client.MaestroApiException;
import io.maestro.client.MaestroClient;
import io.maestro.client.TaskFailure;
import io.maestro.client.Worker;
import io.maestro.core.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java worker runtime against the real server started through {@code bin/maestro}: a workflow
 * with a {@code worker/billing} step runs to success with a Java worker computing its output, and
 * the step's receipts name the worker and its token.
 */
class JavaWorkerIT {
  static final String INVOICE =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: invoice, version: "1"}
      spec:
        inputs:
          type: object
          properties:
            items: {type: array, items: {type: integer}}
        tasks:
          - id: total
            uses: worker/billing
            retry: {max: 2, backoff: 10ms, on: [platform]}
            with:
              input: {items: "${{ inputs.items }}"}
              output_schema: {type: object, required: [total], properties: {total: {type: integer}}}
          - {id: report, uses: core/log, needs: [total], with: {message: "total ${{ tasks.total.outputs.total }}"}}
      """;

  @TempDir static Path dir;
  static CliRunner.Running server;
  static String url;
  static String admin;
  static String workerToken;

  @BeforeAll
  static void start() throws Exception {
    server = CliRunner.server(dir, Map.of());
    url = server.url();
    admin =
        token(
            Map.of(
                "tenant",
                "acme",
                "subject",
                "ada@acme",
                "roles",
                List.of("tenant_admin", "workflow_author", "workflow_reviewer", "operator")));
    workerToken =
        token(
            Map.of(
                "tenant",
                "acme",
                "subject",
                "svc-billing",
                "roles",
                List.of("worker"),
                "attributes",
                Map.of("worker_queues", "billing")));
    HttpResponse<String> put =
        send("PUT", "/api/workflows/invoice/versions/1", admin, "application/yaml", INVOICE);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(
            send("POST", "/api/workflows/invoice/versions/1/publish", admin, null, "").statusCode())
        .isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static String token(Map<String, Object> req) throws Exception {
    return DevHttp.token(url, req);
  }

  static HttpResponse<String> send(
      String method, String path, String token, String type, String body) throws Exception {
    return DevHttp.send(url, method, path, token, type, body);
  }

  static JsonNode awaitEnd(MaestroClient client, String runId) throws InterruptedException {
    for (int i = 0; i < 1500; i++) {
      JsonNode r = client.run(runId);
      if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(r.path("status").asText())) {
        return r;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("run " + runId + " did not end");
  }

  @Test
  void javaWorker_completesTheStep_runSucceeds_receiptsNameTheWorker() throws Exception {
    MaestroClient operator = MaestroClient.of(url, admin);
    MaestroClient client = MaestroClient.of(url, workerToken);
    String runId;
    try (Worker worker =
        Worker.builder(client)
            .queue("billing")
            .identity("java-billing-1")
            .concurrency(2)
            .pollWait(Duration.ofSeconds(5))
            .handler(
                task -> {
                  long total = 0;
                  for (JsonNode n : task.input().path("items")) {
                    total += n.asLong();
                  }
                  if (task.delivery() == 1 && task.attempt() == 1 && total < 0) {
                    throw TaskFailure.permanent("negative total");
                  }
                  return Map.of("total", total);
                })
            .build()
            .start()) {
      runId = operator.startRun("invoice", Map.of("items", List.of(3, 4, 35))).id();
      JsonNode run = awaitEnd(operator, runId);

      assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
      assertThat(run.path("steps").get(0).path("outputs").path("total").asLong()).isEqualTo(42);
      assertThat(worker.completed()).isEqualTo(1);
    }

    HttpResponse<String> receipts =
        send("GET", "/api/receipts?type=step.completed&limit=500", admin, null, "");
    JsonNode completed = null;
    for (JsonNode r : Json.MAPPER.readTree(receipts.body()).path("receipts")) {
      if (r.path("subject").toString().contains(runId + "/total")) {
        completed = r;
      }
    }
    assertThat(completed).as(receipts.body()).isNotNull();
    assertThat(completed.path("actor").toString()).contains("svc-billing");
    assertThat(completed.path("payload").path("worker").asText()).isEqualTo("java-billing-1");
    assertThat(completed.path("decision").path("id").asText()).isNotBlank();
  }

  @Test
  void workerToken_cannotPollAQueueItDoesNotHold() {
    MaestroClient client = MaestroClient.of(url, workerToken);
    assertThatThrownBy(() -> client.poll("w", List.of("shipping"), 1, Duration.ZERO))
        .isInstanceOfSatisfying(
            MaestroApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.reasons()).containsExactly("queue_not_granted");
            });
  }
}
