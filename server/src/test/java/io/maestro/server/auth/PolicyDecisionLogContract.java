package io.maestro.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.config.MaestroConfig;
import io.maestro.policy.DecisionRecords;
import io.maestro.server.MaestroServer;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code policy.decisionLog=database} (the default) every decision of a running server lands
 * in {@code policy_decisions}, filed under the tenant that asked; shutdown writes what is queued;
 * and replay reads the table, so it still finds decisions after a restart.
 */
abstract class PolicyDecisionLogContract {
  @TempDir Path dir;

  abstract Backend backend();

  /** The configuration of a server on this backend with {@code overrides}. */
  abstract MaestroConfig config(Path dataDir, Map<String, String> overrides);

  /** Drops what the test created on the backend. */
  void cleanUp() {}

  static List<ObjectNode> decisions(MaestroConfig config, String tenant) {
    try (Database db = MaestroServer.openDatabase(config)) {
      return db.inTransaction(
          TenantScope.platform(), tx -> DecisionRecords.recent(tx, tenant, 1000));
    }
  }

  @Test
  void everyDecision_isPersisted_underTheAskingTenant_andReplayReadsItAfterARestart() {
    try {
      MaestroConfig config = config(dir, Map.of());
      String denialId;
      try (MaestroServer server = MaestroServer.start(config)) {
        Api api = new Api(server.port());
        String acme = api.token("acme", "admin@acme", "tenant_admin");
        String globex = api.token("globex", "admin@globex", "tenant_admin");
        assertThat(api.call("GET", "/api/whoami", acme, null).status()).isEqualTo(200);
        Api.Reply denied = api.call("GET", "/api/tenants/acme", globex, null);
        assertThat(denied.status()).isEqualTo(403);
        denialId = denied.body().path("decision_id").asText();
      } // closing the server writes the queued decisions

      List<ObjectNode> acme = decisions(config, "acme");
      assertThat(acme)
          .anySatisfy(
              d -> {
                assertThat(d.path("input").path("tenant").path("id").asText()).isEqualTo("acme");
                assertThat(d.path("result").path("allow").asBoolean()).isTrue();
                assertThat(d.path("bundles").path("maestro-canon").path("revision").asText())
                    .startsWith("canon-");
                assertThat(d.path("input_digest").asText()).startsWith("sha256:");
              });
      assertThat(acme)
          .as("globex's attempt on acme is filed under globex, not readable by acme")
          .noneMatch(d -> d.path("decision_id").asText().equals(denialId));
      List<ObjectNode> globex = decisions(config, "globex");
      assertThat(globex)
          .anySatisfy(
              d -> {
                assertThat(d.path("decision_id").asText()).isEqualTo(denialId);
                assertThat(d.path("result").path("reasons").findValuesAsText("code"))
                    .contains("cross_tenant_access");
              });

      try (MaestroServer again = MaestroServer.start(config)) {
        Api api = new Api(again.port());
        String acmeAdmin = api.token("acme", "admin@acme", "tenant_admin");
        Api.Reply replay =
            api.call(
                "POST",
                "/api/policy/replay",
                acmeAdmin,
                Map.of("profile", "partner-demo", "limit", 1000));
        assertThat(replay.status()).as(replay.body().toString()).isEqualTo(200);
        // The in-memory window is empty after a restart except for this server's own few
        // decisions; the table holds those of the first run too.
        assertThat(replay.body().path("evaluated").asInt()).isGreaterThanOrEqualTo(acme.size());
      }
    } finally {
      cleanUp();
    }
  }

  @Test
  void decisionLogOff_persistsNothing() {
    try {
      MaestroConfig config = config(dir, Map.of("policy.decisionLog", "off"));
      try (MaestroServer server = MaestroServer.start(config)) {
        Api api = new Api(server.port());
        String acme = api.token("acme", "admin@acme", "tenant_admin");
        assertThat(api.call("GET", "/api/whoami", acme, null).status()).isEqualTo(200);
        JsonNode replay =
            api.call("POST", "/api/policy/replay", acme, Map.of("profile", "partner-demo")).body();
        assertThat(replay.path("evaluated").asInt()).isZero();
      }
      assertThat(decisions(config, "acme")).isEmpty();
    } finally {
      cleanUp();
    }
  }
}
