package io.maestro.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.config.MaestroConfig;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/drills} over real HTTP: empty before any drill; after a real {@code maestro drill
 * restore} on the server's data (backup, restore, verification, synthetic run), the drill with its
 * RTO and RPO against the targets and the reference of its {@code drill.completed} receipt, and the
 * full report by id; platform operators and support read it, tenant roles are refused by policy.
 */
class DrillApiTest {
  @TempDir Path data;
  @TempDir Path work;

  @Test
  void theRestoreDrillsHistory_readsTheDrillReceipts_forPlatformRolesOnly() throws Exception {
    MaestroConfig config = TestServers.config(data, Map.of("mode", "dev", "chaos.enabled", "true"));
    try (MaestroServer server = MaestroServer.start(config)) {
      Api api = new Api(server.port());
      String root = api.token(null, "root@platform", "conductor_admin");
      Api.Reply none = api.call("GET", "/api/drills", root, null);
      assertThat(none.status()).as(none.body().toString()).isEqualTo(200);
      assertThat(none.body().path("total").asInt()).isZero();
      assertThat(none.body().path("items")).isEmpty();
      // A tenant with receipts of its own, whose log the drill verifies after the restore.
      assertThat(
              api.call(
                      "POST",
                      "/api/dev/token",
                      null,
                      Map.of(
                          "tenant",
                          "acme",
                          "roles",
                          java.util.List.of("tenant_admin"),
                          "create",
                          true))
                  .status())
          .isEqualTo(201);
    }

    JsonNode report = RestoreDrill.run(config, work);
    assertThat(report.path("passed").asBoolean()).as(report.toString()).isTrue();

    try (MaestroServer server = MaestroServer.start(config)) {
      Api api = new Api(server.port());
      String root = api.token(null, "root@platform", "conductor_admin");
      Api.Reply list = api.call("GET", "/api/drills", root, null);
      assertThat(list.status()).as(list.body().toString()).isEqualTo(200);
      assertThat(list.body().path("total").asInt()).isEqualTo(1);
      JsonNode drill = list.body().path("items").get(0);
      assertThat(drill.path("kind").asText()).isEqualTo("restore");
      assertThat(drill.path("passed").asBoolean()).isTrue();
      assertThat(drill.path("rto_seconds").asDouble())
          .isEqualTo(report.path("rto_seconds").asDouble());
      assertThat(drill.path("rpo_seconds").asDouble())
          .isEqualTo(report.path("rpo_seconds").asDouble());
      assertThat(drill.path("rto_target_seconds").asLong()).isEqualTo(1800);
      assertThat(drill.path("rpo_target_seconds").asLong()).isEqualTo(900);
      assertThat(drill.path("rto_met").asBoolean()).isTrue();
      assertThat(drill.path("logs_failed").asInt()).isZero();
      assertThat(drill.path("logs_verified").asInt()).isEqualTo(report.path("logs").size());
      assertThat(report.path("logs").size()).isGreaterThanOrEqualTo(2);
      String id = drill.path("id").asText();
      assertThat(drill.path("receipt").path("id").asText()).isEqualTo(id);
      assertThat(drill.path("receipt").path("log").asText()).isEqualTo("platform");
      assertThat(drill.path("receipt").path("seq").asLong()).isPositive();
      assertThat(drill.path("receipt").path("digest").asText()).isNotBlank();

      Api.Reply one = api.call("GET", "/api/drills/" + id, root, null);
      assertThat(one.status()).isEqualTo(200);
      assertThat(one.body().path("report").path("format").asText())
          .isEqualTo("maestro.restore-drill/v1");
      assertThat(one.body().path("report").path("synthetic_run").asText()).isEqualTo("SUCCEEDED");
      Api.Reply missing = api.call("GET", "/api/drills/rcp_nothing", root, null);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.code()).isEqualTo("drill_not_found");
      Api.Reply badLimit = api.call("GET", "/api/drills?limit=0", root, null);
      assertThat(badLimit.status()).isEqualTo(422);

      // A chaos drill's report, recorded as `maestro drill chaos` does, is listed beside it.
      Api.Reply recorded =
          api.call(
              "POST",
              "/api/chaos/drills",
              root,
              Map.of(
                  "format",
                  "maestro.chaos-drill/v1",
                  "scenario",
                  "pdp-outage",
                  "passed",
                  true,
                  "recovered_after_seconds",
                  1.5,
                  "checks",
                  java.util.List.of()));
      assertThat(recorded.status()).as(recorded.body().toString()).isEqualTo(201);
      JsonNode both = api.call("GET", "/api/drills", root, null).body();
      assertThat(both.path("total").asInt()).isEqualTo(2);
      JsonNode chaos = both.path("items").get(0);
      assertThat(chaos.path("kind").asText()).isEqualTo("chaos");
      assertThat(chaos.path("scenario").asText()).isEqualTo("pdp-outage");
      assertThat(chaos.path("recovered_after_seconds").asDouble()).isEqualTo(1.5);
      assertThat(chaos.path("receipt").path("id").asText())
          .isEqualTo(recorded.body().path("receipt_id").asText());
      assertThat(both.path("items").get(1).path("id").asText()).isEqualTo(id);
      JsonNode restores = api.call("GET", "/api/drills?kind=restore", root, null).body();
      assertThat(restores.path("total").asInt()).isEqualTo(1);
      assertThat(restores.path("items").get(0).path("id").asText()).isEqualTo(id);
      assertThat(
              api.call("GET", "/api/drills?kind=chaos", root, null)
                  .body()
                  .path("items")
                  .get(0)
                  .path("kind")
                  .asText())
          .isEqualTo("chaos");
      assertThat(api.call("GET", "/api/drills?kind=fire", root, null).status()).isEqualTo(422);

      String support = api.token(null, "sam@platform", "support");
      assertThat(api.call("GET", "/api/drills", support, null).status()).isEqualTo(200);
      for (String role : new String[] {"tenant_admin", "read_only", "operator"}) {
        Api.Reply refused =
            api.call("GET", "/api/drills", api.token("acme", "ana@acme", role), null);
        assertThat(refused.status()).as(role).isEqualTo(403);
        assertThat(refused.body().path("decision_id").asText()).startsWith("dec_");
      }
      Api.Reply tenantBound =
          api.call("GET", "/api/drills", api.token("acme", "root@acme", "conductor_admin"), null);
      assertThat(tenantBound.reasonCodes()).contains("platform_token_required");
    }
  }
}
