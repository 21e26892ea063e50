package io.maestro.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos drills run against a real server (dev mode, {@code chaos.enabled}) over HTTP: the fault
 * is real (the key ring stops signing, the decision point stops deciding or decides late), the
 * drill sees privileged operations fail closed and recover, and records its report.
 */
class ChaosDrillTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String root;

  @BeforeAll
  static void start() {
    server =
        MaestroServer.start(
            TestServers.config(dir.resolve("data"), Map.of("chaos.enabled", "true")));
    api = new Api(server.port());
    root = api.token(null, "root@platform", "conductor_admin");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ChaosDrill.Options options(Scenario s, String out) {
    return new ChaosDrill.Options(
        "http://127.0.0.1:" + server.port(),
        root,
        Optional.empty(),
        s,
        // Long enough for the checks made during the fault (four 1 s refusals under latency).
        Duration.ofSeconds(s == Scenario.PDP_LATENCY ? 10 : 5),
        Duration.ofSeconds(1),
        dir.resolve(out));
  }

  @Test
  void signerOutage_privilegedOperationsFailClosed_ordinaryOnesGoOn_andRecover() throws Exception {
    JsonNode r = ChaosDrill.run(options(Scenario.SIGNER_OUTAGE, "signer"));
    System.out.println(ChaosDrill.markdown(r));
    assertThat(r.path("checks"))
        .allSatisfy(c -> assertThat(c.path("ok").asBoolean()).as(c.toString()).isTrue());
    assertThat(r.path("passed").asBoolean()).isTrue();
    assertThat(r.path("measurements").path("recovery_seconds").asDouble()).isBetween(0.0, 10.0);
    assertRecorded(r, "signer");
  }

  @Test
  void pdpOutage_everyDecisionFailsClosed_nothingAdmitted_andRecovers() throws Exception {
    JsonNode r = ChaosDrill.run(options(Scenario.PDP_OUTAGE, "pdp"));
    System.out.println(ChaosDrill.markdown(r));
    assertThat(r.path("checks"))
        .allSatisfy(c -> assertThat(c.path("ok").asBoolean()).as(c.toString()).isTrue());
    assertThat(r.path("passed").asBoolean()).isTrue();
    assertRecorded(r, "pdp");
  }

  @Test
  void pdpLatency_aOneSecondSpikeFailsClosedPastTheDeadline_andRecovers() throws Exception {
    JsonNode r = ChaosDrill.run(options(Scenario.PDP_LATENCY, "latency"));
    System.out.println(ChaosDrill.markdown(r));
    assertThat(r.path("checks"))
        .allSatisfy(c -> assertThat(c.path("ok").asBoolean()).as(c.toString()).isTrue());
    assertThat(r.path("passed").asBoolean()).isTrue();
    assertRecorded(r, "latency");
  }

  @Test
  void exportThrottle_exportsRetryWithBackoffAndResume_oneReceiptEach() throws Exception {
    JsonNode r = ChaosDrill.run(options(Scenario.EXPORT_THROTTLE, "throttle"));
    System.out.println(ChaosDrill.markdown(r));
    assertThat(r.path("checks"))
        .allSatisfy(c -> assertThat(c.path("ok").asBoolean()).as(c.toString()).isTrue());
    assertThat(r.path("passed").asBoolean()).isTrue();
    assertRecorded(r, "throttle");
  }

  @Test
  void faultInjection_isForPlatformAdministratorsOnly() {
    String tenantAdmin = api.token("acme", "ana@acme", "tenant_admin");
    String support = api.token(null, "sue@platform", "support");
    for (String token : new String[] {tenantAdmin, support}) {
      Api.Reply r =
          api.call(
              "POST", "/api/chaos/faults", token, Map.of("scenario", "pdp-outage", "seconds", 5));
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body().path("decision_id").asText()).isNotEmpty();
      assertThat(api.call("GET", "/api/chaos/faults", token, null).status()).isEqualTo(403);
    }
    // A tenant-bound token carrying the administrator role is still not a platform token.
    String bound = api.token("acme", "root@acme", "conductor_admin");
    assertThat(
            api.call("POST", "/api/chaos/faults", bound, Map.of("scenario", "pdp-outage"))
                .reasonCodes())
        .contains("platform_token_required");
    assertThat(api.call("GET", "/api/chaos/faults", root, null).body().path("faults").size())
        .isZero();
  }

  @Test
  void dbRestart_onTheEmbeddedDatabase_isRefusedByPolicy() {
    Api.Reply r = api.call("POST", "/api/chaos/faults", root, Map.of("scenario", "db-restart"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.reasonCodes()).containsExactly("fault_db_restart_embedded");
    assertThat(r.body().path("decision_id").asText()).isNotEmpty();
    assertThat(api.call("GET", "/api/chaos/faults", root, null).body().path("db_restart").asText())
        .isEqualTo("embedded");
  }

  @Test
  void unknownScenario_isAClearError() {
    Api.Reply r = api.call("POST", "/api/chaos/faults", root, Map.of("scenario", "meteor"));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.body().path("detail").asText()).contains("signer-outage");
  }

  @Test
  void aServerNotConfiguredForDrills_refusesByPolicy_andTheDrillSaysSo() throws Exception {
    try (MaestroServer plain = TestServers.start(dir.resolve("plain"))) {
      Api a = new Api(plain.port());
      String admin = a.token(null, "root@platform", "conductor_admin");
      Api.Reply r = a.call("POST", "/api/chaos/faults", admin, Map.of("scenario", "signer-outage"));
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.reasonCodes()).containsExactly("fault_injection_disabled");
      assertThat(a.call("GET", "/readyz", null, null).body().path("status").asText())
          .isEqualTo("ready");
      assertThatThrownBy(
              () ->
                  ChaosDrill.run(
                      new ChaosDrill.Options(
                          "http://127.0.0.1:" + plain.port(),
                          admin,
                          Optional.empty(),
                          Scenario.SIGNER_OUTAGE,
                          Duration.ofSeconds(2),
                          Duration.ofSeconds(1),
                          dir.resolve("refused"))))
          .hasMessageContaining("fault_injection_disabled");
    }
  }

  @Test
  void productionMode_refusesUnlessExplicitlyAllowed() {
    Faults prod =
        new Faults(
            new io.maestro.core.config.MaestroConfig.Chaos(true, false),
            io.maestro.core.config.Mode.PROD,
            null,
            null,
            null,
            null,
            java.time.Clock.systemUTC());
    assertThat(prod.permitted()).isFalse();
    assertThat(prod.facts("pdp-outage")).containsEntry("production", true);
    assertThatThrownBy(
            () -> prod.inject(Scenario.SIGNER_OUTAGE, Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalStateException.class);
    assertThat(
            new Faults(
                    new io.maestro.core.config.MaestroConfig.Chaos(true, true),
                    io.maestro.core.config.Mode.PROD,
                    null,
                    null,
                    null,
                    null,
                    java.time.Clock.systemUTC())
                .permitted())
        .isTrue();
  }

  private static void assertRecorded(JsonNode r, String out) throws Exception {
    assertThat(r.path("receipt_id").asText()).startsWith("rcp_");
    assertThat(Files.readString(dir.resolve(out).resolve("chaos.md"))).contains("Result: PASSED");
    JsonNode json = Json.MAPPER.readTree(Files.readString(dir.resolve(out).resolve("chaos.json")));
    assertThat(json.path("scenario").asText()).isEqualTo(r.path("scenario").asText());
  }
}
