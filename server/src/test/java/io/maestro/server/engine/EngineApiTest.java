package io.maestro.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Workflows and runs over HTTP on a real server, behind the real policy gate. */
class EngineApiTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String author;
  static String operator;
  static String reviewer;

  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: web, version: "1"}
      spec:
        inputs:
          type: object
          properties:
            who: {type: string, default: api}
        tasks:
          - {id: hi, uses: core/log, with: {message: "hi ${{ inputs.who }}"}}
          - {id: gate, uses: core/approval, needs: [hi]}
      """;

  @BeforeAll
  static void start() {
    server = TestServers.start(dir);
    api = new Api(server.port());
    author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
    operator = api.token("acme", "olga@acme", "operator");
    reviewer = api.token("acme", "rita@acme", "workflow_reviewer");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> putYaml(String path, String token, String yaml) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(yaml))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static Api.Reply awaitStep(String runId, String step, String status) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      Api.Reply r = api.call("GET", "/api/runs/" + runId, operator, null);
      for (var s : r.body().path("steps")) {
        if (s.path("id").asText().equals(step) && s.path("status").asText().equals(status)) {
          return r;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("step " + step + " never reached " + status);
  }

  /** Regression: {@code ?after=x} on the run log was a 500. */
  @Test
  void badQueryParameters_are422WithTheStableCode() {
    for (String query :
        List.of(
            "/api/runs/run_x/logs?after=x",
            "/api/runs/run_x/logs?after=-1",
            "/api/runs/run_x/logs?follow=maybe",
            "/api/runs?limit=0",
            "/api/runs?limit=ten",
            "/api/runs?status=sleeping")) {
      Api.Reply r = api.call("GET", query, operator, null);
      assertThat(r.status()).as(query + " " + r.body()).isEqualTo(422);
      assertThat(r.code()).as(query).isEqualTo("validation_failed");
    }
  }

  @Test
  void workflow_publishRunApproveAndReadLogs() throws Exception {
    HttpResponse<String> put = putYaml("/api/workflows/web/versions/1", author, MANIFEST);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    Api.Reply pub = api.call("POST", "/api/workflows/web/versions/1/publish", author, null);
    assertThat(pub.status()).as(pub.body().toString()).isEqualTo(200);
    assertThat(pub.body().path("digest").asText()).startsWith("sha256:");
    assertThat(
            putYaml(
                    "/api/workflows/web/versions/1",
                    author,
                    MANIFEST.replace("default: api", "default: changed"))
                .statusCode())
        .isEqualTo(409);

    Api.Reply started =
        api.call("POST", "/api/runs", operator, Map.of("workflow", "web", "idempotencyKey", "k1"));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String runId = started.body().path("id").asText();
    Api.Reply again =
        api.call("POST", "/api/runs", operator, Map.of("workflow", "web", "idempotencyKey", "k1"));
    assertThat(again.body().path("id").asText()).isEqualTo(runId);
    assertThat(again.body().path("created").asBoolean()).isFalse();

    awaitStep(runId, "gate", "WAITING");
    Api.Reply self =
        api.call("POST", "/api/runs/" + runId + "/steps/gate/approve", operator, Map.of());
    assertThat(self.status()).isEqualTo(403);
    Api.Reply ok =
        api.call(
            "POST",
            "/api/runs/" + runId + "/steps/gate/approve",
            reviewer,
            Map.of("comment", "ok"));
    assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
    Api.Reply done = awaitStep(runId, "gate", "SUCCEEDED");
    for (int i = 0; i < 200 && !done.body().path("status").asText().equals("SUCCEEDED"); i++) {
      Thread.sleep(20);
      done = api.call("GET", "/api/runs/" + runId, operator, null);
    }
    assertThat(done.body().path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.body().path("decisionId").asText()).isNotBlank();
    assertThat(done.body().has("admission")).isFalse();

    // The decision that admitted the run: from its receipt and the decision log.
    Api.Reply explained = api.call("GET", "/api/runs/" + runId + "?explain=true", operator, null);
    assertThat(explained.status()).isEqualTo(200);
    var admission = explained.body().path("admission");
    assertThat(admission.path("decision_id").asText())
        .isEqualTo(done.body().path("decisionId").asText());
    assertThat(admission.path("allow").asBoolean()).isTrue();
    assertThat(admission.path("bundle_revision").asText()).isNotBlank();
    assertThat(admission.path("profile").asText()).isNotBlank();
    assertThat(admission.path("quota").path("maxConcurrent").isNumber()).isTrue();
    assertThat(admission.path("usage").path("concurrentRuns").isNumber()).isTrue();
    assertThat(admission.path("sources").toString()).contains("run", "decision_log");
    // Another tenant's actor learns nothing about the run or its admission.
    String other = api.token("globex", "gus@globex", "operator");
    Api.Reply foreign = api.call("GET", "/api/runs/" + runId + "?explain=true", other, null);
    assertThat(foreign.status()).isIn(403, 404);
    assertThat(foreign.body().toString()).doesNotContain(admission.path("decision_id").asText());

    HttpResponse<String> logs =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.port()
                                + "/api/runs/"
                                + runId
                                + "/logs?follow=true"))
                    .header("Authorization", "Bearer " + operator)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(logs.statusCode()).isEqualTo(200);
    assertThat(logs.body()).contains("\"message\":\"hi api\"");
    assertThat(logs.headers().firstValue("Content-Type")).contains("application/x-ndjson");

    Api.Reply list = api.call("GET", "/api/runs?workflow=web&limit=5", operator, null);
    assertThat(list.body().path("items")).hasSize(1);
    Api.Reply wf = api.call("GET", "/api/workflows/web", operator, null);
    assertThat(wf.body().path("activeVersion").asText()).isEqualTo("1");
  }

  @Test
  void putVersion_reportsEveryProblemWithLineAndColumn() throws Exception {
    HttpResponse<String> r =
        putYaml(
            "/api/workflows/bad/versions/1",
            author,
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: bad, version: "1"}
            spec:
              tasks:
                - {id: a, uses: core/nope}
                - {id: a, uses: core/noop, needs: [ghost]}
            """);
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body())
        .contains("manifest_invalid", "\"line\":6", "core/nope", "ghost", "duplicate");
  }

  @Test
  void startRun_deniedWithoutTheRunRole() {
    Api.Reply r = api.call("POST", "/api/runs", reviewer, Map.of("workflow", "web"));
    assertThat(r.status()).isEqualTo(403);
  }
}
