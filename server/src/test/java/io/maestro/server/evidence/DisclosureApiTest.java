package io.maestro.server.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.evidence.verify.PackReport;
import io.maestro.evidence.verify.PackVerifier;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.io.ByteArrayInputStream;
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

/**
 * {@code GET /api/runs/{id}/disclosure} on the real server: a finished run packs to the same bytes
 * twice and verifies offline with the published keys; a region the run never touched is an empty
 * pack that verifies; bad input is a problem; every export is a receipt and a metered event.
 */
class DisclosureApiTest {
  static final String TENANT = "euro";

  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String admin;
  static String reviewer;
  static String runId;
  static String waitingRunId;

  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: disclosed, version: "1"}
      spec:
        tasks:
          - {id: hi, uses: core/log, with: {message: "hello auditor"}}
          - {id: gate, uses: core/approval, needs: [hi]}
      """;

  @BeforeAll
  static void runOnce() throws Exception {
    server = TestServers.start(dir);
    api = new Api(server.port());
    String root = api.token(null, "root@platform", "conductor_admin");
    Api.Reply created =
        api.call(
            "POST",
            "/api/tenants",
            root,
            Map.of(
                "id", TENANT, "name", "Euro", "regions", List.of("US", "EU"), "home_region", "US"));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    admin = api.token(TENANT, "ada@euro", "tenant_admin");
    reviewer = api.token(TENANT, "rita@euro", "workflow_reviewer");
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri("/api/workflows/disclosed/versions/1"))
                    .header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(MANIFEST))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(
            api.call("POST", "/api/workflows/disclosed/versions/1/publish", admin, null).status())
        .isEqualTo(200);
    runId = start();
    awaitStep(runId, "gate", "WAITING");
    assertThat(
            api.call("POST", "/api/runs/" + runId + "/steps/gate/approve", reviewer, Map.of())
                .status())
        .isEqualTo(200);
    awaitRun(runId, "SUCCEEDED");
    waitingRunId = start();
    awaitStep(waitingRunId, "gate", "WAITING");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  static String start() {
    Api.Reply started =
        api.call(
            "POST",
            "/api/runs",
            admin,
            Map.of("workflow", "disclosed", "inputs", Map.of("customer", "Jane Q. Customer")));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    return started.body().path("id").asText();
  }

  static HttpResponse<byte[]> get(String path, String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  static PackReport verify(byte[] pack) throws Exception {
    JsonNode jwks = api.call("GET", "/.well-known/maestro/keys", null, null).body();
    return PackVerifier.verify(new ByteArrayInputStream(pack), TrustedKeys.fromJwks(jwks));
  }

  /** Every page of {@code path} (a {@code GET /api/receipts} query), followed by its cursor. */
  static List<JsonNode> allReceipts(String path, String token) {
    List<JsonNode> out = new java.util.ArrayList<>();
    long after = 0;
    while (true) {
      Api.Reply r = api.call("GET", path + "&after=" + after, token, null);
      assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
      r.body().path("receipts").forEach(out::add);
      if (r.body().path("next_after").isNull()) {
        return out;
      }
      after = r.body().path("next_after").asLong();
    }
  }

  @Test
  void receiptsOfOneRun_comeThroughTheRunFilter_withProofs_andOnlyInTheRunsTenant()
      throws Exception {
    List<String> scanned =
        allReceipts("/api/receipts?limit=500", admin).stream()
            .filter(
                r ->
                    (r.path("subject").path("kind").asText().equals("run")
                            && r.path("subject").path("id").asText().equals(runId))
                        || (r.path("subject").path("kind").asText().equals("step")
                            && r.path("subject").path("id").asText().startsWith(runId + "/")))
            .map(r -> r.path("id").asText())
            .toList();
    List<String> filtered =
        allReceipts("/api/receipts?limit=3&run=" + runId, admin).stream()
            .map(r -> r.path("id").asText())
            .toList();
    assertThat(filtered).isNotEmpty().isEqualTo(scanned);

    Api.Reply proven = null;
    for (int i = 0; i < 100; i++) { // the checkpointer signs about every second
      proven = api.call("GET", "/api/receipts?proofs=true&limit=500&run=" + runId, admin, null);
      JsonNode proofs = proven.body().path("proofs");
      if (proofs.size() > 0 && proofs.get(proofs.size() - 1).path("proof").isObject()) {
        break;
      }
      Thread.sleep(100);
    }
    JsonNode body = proven.body();
    assertThat(body.path("receipts").size()).isEqualTo(body.path("proofs").size());
    io.maestro.provenance.Hash root =
        io.maestro.provenance.Hash.fromBase64(body.path("checkpoint").path("root").asText());
    for (int i = 0; i < body.path("receipts").size(); i++) {
      JsonNode p = body.path("proofs").get(i);
      assertThat(p.path("id").asText()).isEqualTo(body.path("receipts").get(i).path("id").asText());
      assertThat(
              io.maestro.provenance.InclusionProof.fromJson(p.path("proof"))
                  .verify(
                      io.maestro.provenance.merkle.MerkleHash.leaf(
                          io.maestro.provenance.Hash.parse(p.path("digest").asText())),
                      root))
          .as("proof of %s", p.path("id").asText())
          .isTrue();
    }

    Api.Reply step = api.call("GET", "/api/receipts?run=" + runId + "/hi", admin, null);
    assertThat(step.status()).isEqualTo(422);
    assertThat(step.code()).isEqualTo("validation_failed");
    String stranger = api.token("initech", "eve@initech", "tenant_admin");
    Api.Reply foreign = api.call("GET", "/api/receipts?run=" + runId, stranger, null);
    assertThat(foreign.status()).isEqualTo(200);
    assertThat(foreign.body().path("receipts")).isEmpty();
  }

  @Test
  void finishedRun_packsToTheSameBytesTwiceAndVerifiesOffline() throws Exception {
    HttpResponse<byte[]> first = get("/api/runs/" + runId + "/disclosure", admin);
    assertThat(first.statusCode()).as(new String(first.body())).isEqualTo(200);
    HttpResponse<byte[]> second = get("/api/runs/" + runId + "/disclosure", admin);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.headers().firstValue("X-Maestro-SHA256"))
        .isEqualTo(first.headers().firstValue("X-Maestro-SHA256"));
    assertThat(second.headers().firstValue("X-Maestro-Export-Id"))
        .isNotEqualTo(first.headers().firstValue("X-Maestro-Export-Id"));
    PackReport report = verify(first.body());
    assertThat(report.failures()).isEmpty();
    assertThat(report.run()).isEqualTo(runId);
    assertThat(report.receipts()).isGreaterThan(3);

    JsonNode receipts = api.call("GET", "/api/receipts?type=evidence.exported", admin, null).body();
    assertThat(receipts.path("receipts").size()).isGreaterThanOrEqualTo(2);
    java.time.Instant now =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    JsonNode events =
        api.call(
                "GET",
                "/api/metering/events?type=evidence_exported&from="
                    + now.minusSeconds(3600)
                    + "&to="
                    + now.plusSeconds(3600),
                admin,
                null)
            .body();
    assertThat(events.path("events").size()).as(events.toString()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void withheldInputs_leaveTheirDigestAndTheRestVerifies() throws Exception {
    HttpResponse<byte[]> r =
        get(
            "/api/runs/"
                + runId
                + "/disclosure?region=US&withhold=%24.inputs&withhold=%24.steps%5B*%5D.status",
            admin);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    PackReport report = verify(r.body());
    assertThat(report.failures()).isEmpty();
    assertThat(report.withheld()).hasSize(2);
    assertThat(report.withheld().get(0)).isEqualTo("$.inputs -> [run.json#/inputs]");
  }

  @Test
  void regionTheRunNeverTouched_isAnEmptyPackThatVerifies() throws Exception {
    HttpResponse<byte[]> eu = get("/api/runs/" + runId + "/disclosure?region=EU", admin);
    assertThat(eu.statusCode()).as(new String(eu.body())).isEqualTo(200);
    PackReport report = verify(eu.body());
    assertThat(report.failures()).isEmpty();
    assertThat(report.empty()).isTrue();
    assertThat(report.files()).isEqualTo(2);
  }

  @Test
  void badInput_isAProblem() throws Exception {
    HttpResponse<byte[]> mars = get("/api/runs/" + runId + "/disclosure?region=MARS", admin);
    assertThat(mars.statusCode()).isEqualTo(422);
    assertThat(new String(mars.body())).contains("evidence_region_unknown");
    assertThat(mars.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    HttpResponse<byte[]> missing =
        get("/api/runs/run_00000000000070008000000000000000/disclosure", admin);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new String(missing.body())).contains("evidence_run_not_found");
    HttpResponse<byte[]> unmatched =
        get("/api/runs/" + runId + "/disclosure?withhold=%24.nosuch", admin);
    assertThat(unmatched.statusCode()).isEqualTo(422);
    assertThat(new String(unmatched.body())).contains("evidence_withhold_unmatched");
    HttpResponse<byte[]> running = get("/api/runs/" + waitingRunId + "/disclosure", admin);
    assertThat(running.statusCode()).isEqualTo(409);
    assertThat(new String(running.body())).contains("evidence_run_not_finished");
  }

  @Test
  void onlyAdministratorsExport_aRefusalIsAPolicyDecision() throws Exception {
    HttpResponse<byte[]> r = get("/api/runs/" + runId + "/disclosure", reviewer);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new String(r.body())).contains("role_not_permitted").contains("decision_id");
  }

  @Test
  void controls_statusComesFromTheTenantsLiveReceipts() throws Exception {
    JsonNode all = api.call("GET", "/api/compliance/controls", admin, null).body();
    Map<String, JsonNode> byId = new java.util.HashMap<>();
    all.path("controls").forEach(c -> byId.put(c.path("id").asText(), c));
    assertThat(byId.get("segregation-of-duties").path("status").asText()).isEqualTo("met");
    assertThat(byId.get("logging-monitoring").path("status").asText()).isEqualTo("met");
    assertThat(byId.get("change-management").path("status").asText())
        .as("drafted and published, never ramped")
        .isEqualTo("partial");
    assertThat(byId.get("backup-restore").path("status").asText()).isEqualTo("no_evidence");
    String link =
        byId.get("segregation-of-duties").path("evidence").get(0).path("receipt").asText();
    assertThat(api.call("GET", link, admin, null).status()).isEqualTo(200);

    Api.Reply one = api.call("GET", "/api/compliance/controls/change-management", admin, null);
    assertThat(one.body().path("status").asText()).isEqualTo("partial");
    Api.Reply missing = api.call("GET", "/api/compliance/controls/nosuch", admin, null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo("evidence_control_not_found");
  }

  static void awaitRun(String id, String status) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      if (api.call("GET", "/api/runs/" + id, admin, null)
          .body()
          .path("status")
          .asText()
          .equals(status)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("run never reached " + status);
  }

  static void awaitStep(String id, String step, String status) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      for (JsonNode s : api.call("GET", "/api/runs/" + id, admin, null).body().path("steps")) {
        if (s.path("id").asText().equals(step) && s.path("status").asText().equals(status)) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("step never reached " + status);
  }
}
