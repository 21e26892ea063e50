package io.maestro.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.CanonicalJson;
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

/**
 * The tenant health bundle through the real server: secrets, tokens, keys, e-mail addresses and
 * free text planted where a bundle collects from (a member's subject, a run's error, the inputs of
 * a run that started it) never survive into it, while what support needs (versions, quotas, queue
 * depth, failed runs by id, refusal codes) does; each bundle is receipted with its digest.
 */
class HealthBundleTest {
  static final String T = "acme";
  static final String EMAIL = "pii.person@example.com";
  static final String JWT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJzZWNyZXQifQ.c2lnbmF0dXJlc2lnbmF0dXJl";
  static final String KEY = "AKIAZ3Q8M7V4K2P9X6W1R5T0Y8U3I7O2QWERTY";
  static final String PASSWORD = "hunter2-correct-horse";
  static final String PROSE = "Dear support, my colleague Ingrid Bergman in Malmo says";

  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String ana;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dir);
    api = new Api(server.port());
    ana = api.token(T, "ana@acme", "tenant_admin", "operator");
    assertThat(
            api.call("PUT", "/api/tenants/acme/members/" + EMAIL, ana, Map.of("role", "operator"))
                .status())
        .isBetween(200, 201);
    String manifest =
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: leaky, version: "1"}
        spec:
          tasks:
            - id: boom
              uses: core/fail
              with:
                kind: error
                message: "%s: call %s with Bearer %s, password=%s, key %s"
        """
            .formatted(PROSE, EMAIL, JWT, PASSWORD, KEY);
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.port()
                                + "/api/workflows/leaky/versions/1"))
                    .header("Authorization", "Bearer " + ana)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(api.call("POST", "/api/workflows/leaky/versions/1/publish", ana, null).status())
        .isEqualTo(200);
    assertThat(api.call("POST", "/api/runs", ana, Map.of("workflow", "leaky")).status())
        .isEqualTo(202);
    for (int i = 0; i < 100; i++) {
      if (api.call("GET", "/api/runs?status=FAILED", ana, null).body().path("items").size() > 0) {
        break;
      }
      Thread.sleep(200);
    }
    // A refusal, so the bundle has one to show (by its codes).
    String reader = api.token(T, "rita@acme", "read_only");
    assertThat(api.call("POST", "/api/runs", reader, Map.of("workflow", "leaky")).status())
        .isEqualTo(403);
    // The decision log writes in batches: wait for the refusal to be there.
    for (int i = 0; i < 100; i++) {
      boolean logged =
          server
              .database()
              .inTransaction(
                  io.maestro.store.TenantScope.of(io.maestro.core.TenantId.of(T)),
                  tx -> io.maestro.policy.DecisionRecords.recent(tx, T, 50))
              .stream()
              .anyMatch(d -> !d.path("result").path("allow").asBoolean(true));
      if (logged) {
        break;
      }
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void plantedSecretsAndPersonalDataNeverSurvive_whatSupportNeedsDoes() {
    String sue = api.token(null, "sue@platform", "support");
    Api.Reply r = api.call("GET", "/api/support/health-bundle?tenant=" + T, sue, null);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    String text = r.raw().body();
    for (String planted : List.of(EMAIL, JWT, KEY, PASSWORD, "Ingrid", "Bergman", ana)) {
      assertThat(text).as("the bundle must not contain %s", planted).doesNotContain(planted);
    }
    JsonNode b = r.body().path("bundle");
    assertThat(b.path("versions").path("policy_bundle").path("revision").asText()).isNotEmpty();
    assertThat(b.path("tenant_settings").path("max_concurrent_runs").asInt()).isPositive();
    assertThat(b.path("queue").has("running")).isTrue();
    assertThat(b.path("recent_errors")).hasSize(1);
    assertThat(b.path("recent_errors").get(0).path("run").asText()).startsWith("run_");
    assertThat(b.path("recent_errors").get(0).path("error").asText()).startsWith("[free text");
    assertThat(b.path("recent_refusals").toString()).contains("role_not_permitted");
    assertThat(r.body().path("bundle_digest").asText()).isEqualTo(CanonicalJson.sha256(b));

    JsonNode receipts =
        api.call("GET", "/api/receipts?type=support.health_bundle", ana, null).body();
    assertThat(receipts.path("receipts")).hasSize(1);
    JsonNode receipt = receipts.path("receipts").get(0);
    assertThat(receipt.path("id").asText()).isEqualTo(r.body().path("receipt_id").asText());
    assertThat(receipt.path("actor").path("sub").asText()).isEqualTo("sue@platform");
    assertThat(receipt.path("payload").path("bundle_digest").asText())
        .isEqualTo(r.body().path("bundle_digest").asText());
  }

  @Test
  void onlyRolesTheProfileGrants_mayMakeOne() {
    String operator = api.token(T, "olav@acme", "operator");
    Api.Reply r = api.call("GET", "/api/support/health-bundle", operator, null);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.reasonCodes()).contains("role_not_permitted");
  }
}
