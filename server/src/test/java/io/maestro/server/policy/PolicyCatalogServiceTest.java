package io.maestro.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.maestro.core.problem.MaestroException;
import io.maestro.policy.DecisionLog;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.PdpSettings;
import io.maestro.rego.Rego;
import io.maestro.server.http.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The catalog routes over real HTTP, on the canon bundle. */
class PolicyCatalogServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private WebServer server;
  private PolicyCatalogService service;

  @BeforeEach
  void start() {
    for (String b : new String[] {"sprintf", "concat", "object.get"}) {
      assumeTrue(Rego.standardLibrary().containsKey(b), "the rego engine has no " + b + " yet");
    }
    DecisionPoint pdp =
        DecisionPoint.startCanon(
            PdpSettings.defaults(), Clock.systemUTC(), new SplittableRandom(1), DecisionLog.NONE);
    service = new PolicyCatalogService(pdp);
    server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .routing(
                r -> {
                  for (Route route : service.routes()) {
                    r.route(route.method(), route.path(), route.handler());
                  }
                })
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void packs_listEveryPackWithTheSignedBundleDigest() throws Exception {
    JsonNode body = get("/api/policy-packs");

    assertThat(body.path("bundle").path("revision").asText()).startsWith("canon-");
    assertThat(body.path("bundle").path("digest").asText()).startsWith("sha256:");
    assertThat(body.path("bundle").path("signed_by").asText()).isEqualTo("maestro-canon-build");
    assertThat(body.path("items").findValuesAsText("id"))
        .containsExactly(
            "maestro.abac",
            "maestro.authz",
            "maestro.budget",
            "maestro.governance",
            "maestro.isolation",
            "maestro.lifecycle",
            "maestro.packages",
            "maestro.quota",
            "maestro.rbac",
            "maestro.sku",
            "maestro.worker");
  }

  @Test
  void pack_hasReasonsAndGeneratedPage() throws Exception {
    JsonNode body = get("/api/policy-packs/maestro.isolation");

    assertThat(body.path("title").asText()).isEqualTo("Tenant isolation");
    assertThat(body.path("reasons").has("cross_tenant_access")).isTrue();
    assertThat(body.path("docs_markdown").asText())
        .startsWith("# Tenant isolation (`maestro.isolation`)");
  }

  @Test
  void unknownPack_isNotFound() {
    assertThatThrownBy(() -> service.catalog().packJson("maestro.nope"))
        .isInstanceOfSatisfying(
            MaestroException.class, e -> assertThat(e.code().status()).isEqualTo(404));
  }

  @Test
  void profiles_carryVersionAndChecksum() throws Exception {
    JsonNode body = get("/api/policy-profiles");
    JsonNode regulated = null;
    for (JsonNode p : body.path("items")) {
      if (p.path("id").asText().equals("regulated")) {
        regulated = p;
      }
    }
    assertThat(regulated).isNotNull();
    assertThat(regulated.path("version").asInt()).isEqualTo(4);
    assertThat(regulated.path("sha256").asText()).startsWith("sha256:");
    assertThat(regulated.path("packs").toString()).contains("maestro.abac");
  }
}
