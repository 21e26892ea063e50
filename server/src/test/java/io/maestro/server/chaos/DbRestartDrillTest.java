package io.maestro.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code db-restart} drill against a real server on a PostgreSQL of the test's own, which the
 * server restarts for real ({@code pg_ctl restart -m fast}, the configured command) while clients
 * keep starting runs: the server reconnects by itself, no acknowledged run is lost, no step ran
 * twice without a receipt saying so, and the recovery time is measured.
 */
class DbRestartDrillTest {
  @TempDir static Path dir;
  static PrivatePostgres pg;
  static MaestroServer server;
  static String root;

  @BeforeAll
  static void start() throws Exception {
    pg = PrivatePostgres.startOrSkip();
    server = MaestroServer.start(TestServers.config(dir.resolve("data"), settings("a", true)));
    root = new Api(server.port()).token(null, "root@platform", "conductor_admin");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  private static Map<String, String> settings(String schema, boolean restartable) {
    Map<String, String> s = new HashMap<>();
    s.put("db.url", pg.url());
    s.put("db.user", "postgres");
    s.put("db.schema", schema);
    s.put("db.rlsRole", "maestro_app");
    s.put("chaos.enabled", "true");
    if (restartable) {
      s.put("chaos.dbRestartCommand", pg.restartCommand());
    }
    return s;
  }

  @Test
  void dbRestartMidLoad_serverReconnects_noRunLost_noStepDuplicatedSilently() throws Exception {
    JsonNode r =
        ChaosDrill.run(
            new ChaosDrill.Options(
                "http://127.0.0.1:" + server.port(),
                root,
                Optional.empty(),
                Scenario.DB_RESTART,
                Duration.ofSeconds(15),
                Duration.ofSeconds(1),
                dir.resolve("db-restart")));
    System.out.println(ChaosDrill.markdown(r));
    assertThat(r.path("checks"))
        .allSatisfy(c -> assertThat(c.path("ok").asBoolean()).as(c.toString()).isTrue());
    assertThat(r.path("passed").asBoolean()).isTrue();
    assertThat(r.path("db_restart").path("restarted").asBoolean()).isTrue();
    assertThat(r.path("acknowledged_starts").asLong()).isGreaterThan(10);
    assertThat(r.path("measurements").path("rto_seconds").asDouble()).isBetween(0.0, 30.0);
    assertThat(r.path("receipt_id").asText()).startsWith("rcp_");
    assertThat(Files.readString(dir.resolve("db-restart").resolve("chaos.md")))
        .contains("Result: PASSED")
        .contains("restarted by the configured command");
    // The server itself stayed up throughout: the same process serves.
    assertThat(new Api(server.port()).call("GET", "/readyz", null, null).status()).isEqualTo(200);
  }

  @Test
  void withoutARestartCommand_theScenarioIsRefusedByPolicy_andTheDrillSaysSo() throws Exception {
    try (MaestroServer plain =
        MaestroServer.start(TestServers.config(dir.resolve("plain"), settings("b", false)))) {
      Api a = new Api(plain.port());
      String admin = a.token(null, "root@platform", "conductor_admin");
      Api.Reply r = a.call("POST", "/api/chaos/faults", admin, Map.of("scenario", "db-restart"));
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.reasonCodes()).containsExactly("fault_db_restart_unconfigured");
      assertThat(r.body().path("decision_id").asText()).isNotEmpty();
      assertThatThrownBy(
              () ->
                  ChaosDrill.run(
                      new ChaosDrill.Options(
                          "http://127.0.0.1:" + plain.port(),
                          admin,
                          Optional.empty(),
                          Scenario.DB_RESTART,
                          Duration.ofSeconds(5),
                          Duration.ofSeconds(1),
                          dir.resolve("refused"))))
          .hasMessageContaining("fault_db_restart_unconfigured");
    }
  }
}
