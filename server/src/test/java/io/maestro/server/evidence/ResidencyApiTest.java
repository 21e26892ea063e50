package io.maestro.server.evidence;

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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The residency auditor on the real server, seeded through the real write paths: a tenant allowed
 * US, EU and APAC runs workflows tagged with each and exports one of the EU runs; then a platform
 * administrator shrinks its allowed regions to US (as when a contract changes). From then on the
 * policy refuses starts of the EU workflow ({@code region_not_allowed}), but what already ran stays
 * where it ran: the audit flags exactly those runs and that pack, records each once, counts them in
 * {@code mc_residency_violations_total}, and leaves another tenant's correctly tagged runs alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResidencyApiTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String admin;
  static String southAdmin;
  static final List<String> misTaggedRuns = new ArrayList<>();
  static final List<String> goodRuns = new ArrayList<>();
  static String euExport;
  static String usExport;

  static String manifest(String name, String region) {
    String md =
        region == null
            ? "{name: " + name + ", version: \"1\"}"
            : "{name: " + name + ", version: \"1\", region: " + region + "}";
    return """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: %s
        spec:
          tasks:
            - {id: hi, uses: core/log, with: {message: "hello"}}
            - {id: bye, uses: core/log, needs: [hi], with: {message: "bye"}}
        """
        .formatted(md);
  }

  @BeforeAll
  static void seed() throws Exception {
    server = TestServers.start(dir);
    api = new Api(server.port());
    String root = api.token(null, "root@platform", "conductor_admin");
    tenant(root, "nordic", List.of("US", "EU", "APAC"));
    tenant(root, "southern", List.of("EU"));
    admin = api.token("nordic", "ada@nordic", "tenant_admin");
    southAdmin = api.token("southern", "sam@southern", "tenant_admin");
    publish(admin, "eu-flow", "EU");
    publish(admin, "apac-flow", "APAC");
    publish(admin, "us-flow", "US");
    publish(admin, "plain", null);
    publish(southAdmin, "eu-flow", "EU");
    misTaggedRuns.add(run(admin, "eu-flow"));
    misTaggedRuns.add(run(admin, "eu-flow"));
    misTaggedRuns.add(run(admin, "apac-flow"));
    goodRuns.add(run(admin, "us-flow"));
    goodRuns.add(run(admin, "plain"));
    String southRun = run(southAdmin, "eu-flow");
    euExport = export(admin, misTaggedRuns.get(0));
    usExport = export(admin, goodRuns.get(0));
    export(southAdmin, southRun);
    Api.Reply shrunk =
        api.call("PATCH", "/api/tenants/nordic", root, Map.of("regions", List.of("US")));
    assertThat(shrunk.status()).as(shrunk.body().toString()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void tenant(String root, String id, List<String> regions) {
    Api.Reply r =
        api.call(
            "POST",
            "/api/tenants",
            root,
            Map.of("id", id, "name", id, "regions", regions, "home_region", regions.get(0)));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
  }

  static void publish(String token, String name, String region) throws Exception {
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.port()
                                + "/api/workflows/"
                                + name
                                + "/versions/1"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(manifest(name, region)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(
            api.call("POST", "/api/workflows/" + name + "/versions/1/publish", token, null)
                .status())
        .isEqualTo(200);
  }

  static String run(String token, String workflow) throws InterruptedException {
    Api.Reply started = api.call("POST", "/api/runs", token, Map.of("workflow", workflow));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String id = started.body().path("id").asText();
    for (int i = 0; i < 500; i++) {
      if (api.call("GET", "/api/runs/" + id, token, null)
          .body()
          .path("status")
          .asText()
          .equals("SUCCEEDED")) {
        return id;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("run " + id + " never succeeded");
  }

  static String export(String token, String runId) throws Exception {
    HttpResponse<Void> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.port()
                                + "/api/runs/"
                                + runId
                                + "/disclosure"))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.headers().firstValue("X-Maestro-Export-Id").orElseThrow();
  }

  static Set<String> findings(JsonNode report) {
    Set<String> out = new HashSet<>();
    report
        .path("violations")
        .forEach(
            v ->
                out.add(
                    v.path("kind").asText()
                        + " "
                        + v.path("ref").asText()
                        + " "
                        + v.path("region").asText()));
    return out;
  }

  static List<JsonNode> violationReceipts(String token) {
    Api.Reply r = api.call("GET", "/api/receipts?type=residency.violation", token, null);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.body().path("receipts").forEach(out::add);
    return out;
  }

  static double counter(String kind) {
    String metrics = api.call("GET", "/metrics", null, null).raw().body();
    Matcher m =
        Pattern.compile(
                "(?m)^mc_residency_violations_total\\{kind=\"" + kind + "\"[^}]*} ([0-9.E]+)$")
            .matcher(metrics);
    assertThat(m.find()).as("mc_residency_violations_total{kind=%s} in /metrics", kind).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  @Order(1)
  void audit_flagsExactlyTheMisTaggedRunsAndPack_withAReceiptAndACountEach() {
    Api.Reply r = api.call("POST", "/api/residency/audit", admin, null);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    JsonNode report = r.body();
    assertThat(report.path("allowed_regions").toString()).isEqualTo("[\"US\"]");
    assertThat(report.path("scanned").path("runs").asInt()).isEqualTo(5);
    assertThat(report.path("scanned").path("exports").asInt()).isEqualTo(2);
    assertThat(findings(report))
        .containsExactlyInAnyOrder(
            "run " + misTaggedRuns.get(0) + " EU",
            "run " + misTaggedRuns.get(1) + " EU",
            "run " + misTaggedRuns.get(2) + " APAC",
            "export " + euExport + " EU");
    assertThat(report.path("new").asInt()).isEqualTo(4);
    assertThat(report.toString()).doesNotContain(goodRuns.get(0), goodRuns.get(1), usExport);

    List<JsonNode> receipts = violationReceipts(admin);
    assertThat(receipts).hasSize(4);
    Set<String> ids = new HashSet<>();
    report.path("violations").forEach(v -> ids.add(v.path("receipt").asText()));
    assertThat(receipts.stream().map(x -> x.path("id").asText()))
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(counter("run")).isEqualTo(3.0);
    assertThat(counter("export")).isEqualTo(1.0);
    assertThat(counter("receipt")).isEqualTo(0.0);
  }

  @Test
  @Order(2)
  void repeatedAudit_reportsTheSameFindings_withoutNewReceiptsOrCounts() {
    JsonNode again = api.call("POST", "/api/residency/audit", admin, null).body();
    assertThat(findings(again)).hasSize(4);
    assertThat(again.path("new").asInt()).isZero();
    assertThat(violationReceipts(admin)).hasSize(4);
    assertThat(counter("run")).isEqualTo(3.0);
    JsonNode stored = api.call("GET", "/api/residency/audit", admin, null).body();
    assertThat(stored.path("violations")).hasSize(4);
  }

  @Test
  @Order(3)
  void anotherTenant_withItsRunsInItsRegion_hasNoFindings() {
    JsonNode south = api.call("POST", "/api/residency/audit", southAdmin, null).body();
    assertThat(south.path("scanned").path("runs").asInt()).isEqualTo(1);
    assertThat(south.path("violations")).isEmpty();
    assertThat(violationReceipts(southAdmin)).isEmpty();
    assertThat(api.call("GET", "/api/residency/audit", southAdmin, null).body().path("violations"))
        .isEmpty();
  }

  @Test
  @Order(4)
  void readersSeeFindings_onlyAdministratorsAudit() {
    String viewer = api.token("nordic", "vic@nordic", "read_only");
    assertThat(api.call("GET", "/api/residency/audit", viewer, null).status()).isEqualTo(200);
    Api.Reply denied = api.call("POST", "/api/residency/audit", viewer, null);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.reasonCodes()).contains("role_not_permitted");
  }

  @Test
  @Order(5)
  void startOfAWorkflowInARegionNoLongerAllowed_isRefusedByPolicy_andOnlyThePlatformSetsRegions() {
    Api.Reply refused = api.call("POST", "/api/runs", admin, Map.of("workflow", "eu-flow"));
    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(403);
    assertThat(refused.reasonCodes()).contains("region_not_allowed");
    assertThat(refused.body().path("decision_id").asText()).isNotBlank();
    Api.Reply allowed = api.call("POST", "/api/runs", admin, Map.of("workflow", "us-flow"));
    assertThat(allowed.status()).as(allowed.body().toString()).isEqualTo(202);
    Api.Reply widen =
        api.call("PATCH", "/api/tenants/nordic", admin, Map.of("regions", List.of("US", "EU")));
    assertThat(widen.status()).as(widen.body().toString()).isEqualTo(403);
    assertThat(widen.reasonCodes()).contains("platform_only");
    String root = api.token(null, "root@platform", "conductor_admin");
    Api.Reply withoutHome =
        api.call("PATCH", "/api/tenants/nordic", root, Map.of("regions", List.of("EU")));
    assertThat(withoutHome.status()).as(withoutHome.body().toString()).isEqualTo(422);
    assertThat(withoutHome.body().path("detail").asText()).contains("home region US");
    Api.Reply notCodes = api.call("PATCH", "/api/tenants/nordic", root, Map.of("regions", "US"));
    assertThat(notCodes.status()).as(notCodes.body().toString()).isEqualTo(422);
  }
}
