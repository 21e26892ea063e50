package io.maestro.server.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.maestro.core.json.Json;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/compliance/oscal/{model}} on the real server validates against NIST's OSCAL 1.1.2
 * JSON schemas (vendored under {@code src/test/resources/oscal}) and reflects the live statuses: a
 * control with evidence is {@code satisfied} and links its receipt.
 */
class OscalExportTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServers.start(dir);
    api = new Api(server.port());
    String root = api.token(null, "root@platform", "conductor_admin");
    assertThat(
            api.call("POST", "/api/tenants", root, Map.of("id", "acme", "name", "Acme")).status())
        .isEqualTo(201);
    admin = api.token("acme", "ada@acme", "tenant_admin");
    // Evidence for access-control: a membership change and a refusal.
    assertThat(
            api.call(
                    "PUT", "/api/tenants/acme/members/bob@acme", admin, Map.of("role", "read_only"))
                .status())
        .isBetween(200, 201);
    String viewer = api.token("acme", "bob@acme", "read_only");
    assertThat(
            api.call(
                    "GET",
                    "/api/compliance/bundle?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z",
                    viewer,
                    null)
                .status())
        .isEqualTo(403);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Schema schema(String file) throws Exception {
    try (InputStream in = OscalExportTest.class.getResourceAsStream("/oscal/" + file)) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
          .getSchema(Json.MAPPER.readTree(in));
    }
  }

  @Test
  void componentDefinition_validatesAgainstTheOscalSchema() throws Exception {
    Api.Reply r = api.call("GET", "/api/compliance/oscal/component-definition", admin, null);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    Schema schema = schema("oscal-component-definition_schema.json");
    assertThat(schema.validate(r.body())).isEmpty();
    JsonNode reqs =
        r.body()
            .path("component-definition")
            .path("components")
            .get(0)
            .path("control-implementations")
            .get(0)
            .path("implemented-requirements");
    assertThat(reqs).extracting(n -> n.path("control-id").asText()).contains("access-control");

    ObjectNode broken = (ObjectNode) r.body().deepCopy();
    ((ObjectNode) broken.path("component-definition")).remove("metadata");
    assertThat(schema.validate(broken)).isNotEmpty();
  }

  @Test
  void assessmentResults_validateAgainstTheOscalSchema_andFollowTheLiveStatus() throws Exception {
    Api.Reply r = api.call("GET", "/api/compliance/oscal/assessment-results", admin, null);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    Schema schema = schema("oscal-ar_schema.json");
    assertThat(schema.validate(r.body())).isEmpty();
    JsonNode result = r.body().path("assessment-results").path("results").get(0);
    JsonNode access = null;
    for (JsonNode f : result.path("findings")) {
      if (f.path("target").path("target-id").asText().equals("access-control")) {
        access = f;
      }
    }
    assertThat(access).isNotNull();
    assertThat(access.path("target").path("status").path("state").asText()).isEqualTo("satisfied");
    assertThat(result.path("observations").toString()).contains("/api/receipts/");

    ObjectNode broken = (ObjectNode) r.body().deepCopy();
    ((ObjectNode) broken.path("assessment-results")).put("uuid", "not-a-uuid");
    assertThat(schema.validate(broken)).isNotEmpty();

    Api.Reply unknown = api.call("GET", "/api/compliance/oscal/catalog", admin, null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("evidence_oscal_model_unknown");
  }
}
