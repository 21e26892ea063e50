package io.maestro.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.metering.webhooks.WebhookSignature;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.store.TenantScope;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules and webhook triggers over real HTTP on a real server (embedded H2): the API and its
 * refusals, a tick fired by the scheduler through the governed start path as {@code
 * system:scheduler} (and refused by a kill switch like any start), and signed webhook requests —
 * accepted once, refused with a bad signature, a stale timestamp or a replayed id, with nothing
 * written. The scheduler's own loop is off ({@code schedules.pollSeconds=0}); the test drives its
 * passes.
 */
class ScheduleApiTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String admin;
  static String viewer;

  @BeforeAll
  static void start() throws Exception {
    server =
        MaestroServer.start(
            TestServers.config(
                dir, Map.of("schedules.pollSeconds", "0", "schedules.minIntervalSeconds", "300")));
    api = new Api(server.port());
    admin = api.token("acme", "ada@acme", "tenant_admin");
    viewer = api.token("acme", "vic@acme", "read_only");
    ScheduleFixtures.publish(server, api, admin, "report");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static Map<String, Object> body(String id, String cron) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("id", id);
    b.put("workflow", "report");
    b.put("cron", cron);
    b.put("timeZone", "Europe/Berlin");
    b.put("overlap", "allow");
    b.put("catchUpSeconds", 3600);
    b.put("inputs", Map.of("day", "monday"));
    return b;
  }

  @Test
  void createListGetPauseResumeDelete() {
    Api.Reply created = api.call("POST", "/api/schedules", admin, body("crud", "0 6 * * MON-FRI"));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().path("nextTick").asText()).isNotEmpty();
    assertThat(created.body().path("source").asText()).isEqualTo("api");
    assertThat(created.raw().headers().firstValue("Location")).contains("/api/schedules/crud");

    assertThat(api.call("GET", "/api/schedules", viewer, null).body().path("items"))
        .anySatisfy(s -> assertThat(s.path("id").asText()).isEqualTo("crud"));
    assertThat(
            api.call("GET", "/api/schedules/crud", viewer, null).body().path("timeZone").asText())
        .isEqualTo("Europe/Berlin");
    assertThat(
            api.call("POST", "/api/schedules/crud/pause", admin, null)
                .body()
                .path("paused")
                .asBoolean())
        .isTrue();
    assertThat(
            api.call("POST", "/api/schedules/crud/resume", admin, null)
                .body()
                .path("paused")
                .asBoolean())
        .isFalse();
    assertThat(api.call("DELETE", "/api/schedules/crud", admin, null).status()).isEqualTo(204);
    assertThat(api.call("GET", "/api/schedules/crud", admin, null).code())
        .isEqualTo("schedule_not_found");
  }

  @Test
  void badInput_isRefusedWithStableCodes_andNothingIsCreated() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("*/4 * * * *", "cron_too_frequent"); // below schedules.minIntervalSeconds = 300
    cases.put("0 0 30 2 *", "cron_never_fires");
    cases.put("*/5 * * * * *", "cron_invalid");
    cases.put("0 25 * * *", "cron_invalid");
    int i = 0;
    for (var c : cases.entrySet()) {
      Api.Reply r = api.call("POST", "/api/schedules", admin, body("bad-" + i++, c.getKey()));
      assertThat(r.status()).as(c.getKey()).isEqualTo(422);
      assertThat(r.code()).as(c.getKey()).isEqualTo(c.getValue());
      assertThat(r.raw().headers().firstValue("Content-Type")).contains("application/problem+json");
    }
    Map<String, Object> zone = body("bad-zone", "0 6 * * *");
    zone.put("timeZone", "Mars/Olympus");
    assertThat(api.call("POST", "/api/schedules", admin, zone).code())
        .isEqualTo("schedule_invalid");
    Map<String, Object> overlap = body("bad-overlap", "0 6 * * *");
    overlap.put("overlap", "sometimes");
    assertThat(api.call("POST", "/api/schedules", admin, overlap).code())
        .isEqualTo("schedule_invalid");
    Map<String, Object> unknown = body("bad-field", "0 6 * * *");
    unknown.put("cronn", "x");
    assertThat(api.call("POST", "/api/schedules", admin, unknown).code())
        .isEqualTo("validation_failed");
    Map<String, Object> noWorkflow = body("bad-wf", "0 6 * * *");
    noWorkflow.put("workflow", "nope");
    assertThat(api.call("POST", "/api/schedules", admin, noWorkflow).code())
        .isEqualTo("workflow_not_found");
    assertThat(api.call("POST", "/api/schedules", viewer, body("by-viewer", "0 6 * * *")).status())
        .isEqualTo(403);
    assertThat(api.call("POST", "/api/schedules", admin, body("twice", "0 6 * * *")).status())
        .isEqualTo(201);
    assertThat(api.call("POST", "/api/schedules", admin, body("twice", "0 7 * * *")).code())
        .isEqualTo("schedule_exists");
    assertThat(api.call("GET", "/api/schedules", admin, null).body().path("items"))
        .noneSatisfy(s -> assertThat(s.path("id").asText()).startsWith("bad-"));
  }

  @Test
  void aDueTick_startsOneRunAsTheScheduler_throughTheGovernedStartPath() {
    assertThat(api.call("POST", "/api/schedules", admin, body("hourly", "0 * * * *")).status())
        .isEqualTo(201);
    Instant tick = ScheduleFixtures.makeDue(server, "acme", "hourly");
    List<Scheduler.Fired> fired = ScheduleFixtures.scheduler(server).pass();
    assertThat(fired)
        .filteredOn(f -> f.schedule().equals("hourly"))
        .singleElement()
        .satisfies(f -> assertThat(f.outcome().wire()).isEqualTo("started"));
    // A second pass finds nothing due: the tick was handled.
    assertThat(ScheduleFixtures.scheduler(server).pass())
        .noneSatisfy(f -> assertThat(f.schedule()).isEqualTo("hourly"));

    JsonNode s = api.call("GET", "/api/schedules/hourly", admin, null).body();
    JsonNode firing = s.path("firings").get(0);
    assertThat(firing.path("tick").asText()).isEqualTo(tick.toString());
    assertThat(firing.path("outcome").asText()).isEqualTo("started");
    assertThat(firing.path("decisionId").asText()).isNotEmpty();
    JsonNode run =
        api.call("GET", "/api/runs/" + firing.path("runId").asText() + "?explain=true", admin, null)
            .body();
    assertThat(run.path("trigger").asText()).isEqualTo("schedule");
    assertThat(run.path("startedBy").asText()).isEqualTo("system:scheduler");
    assertThat(run.path("inputs").path("day").asText()).isEqualTo("monday");
    assertThat(run.path("decisionId").asText()).isEqualTo(firing.path("decisionId").asText());
  }

  @Test
  void aTickRefusedByPolicy_isRecordedAsDenied_withTheReasons() throws Exception {
    ScheduleFixtures.publish(server, api, admin, "frozen");
    Map<String, Object> b = body("frozen-hourly", "0 * * * *");
    b.put("workflow", "frozen");
    assertThat(api.call("POST", "/api/schedules", admin, b).status()).isEqualTo(201);
    Api.Reply pulled =
        api.call(
            "POST", "/api/kill-switches", admin, Map.of("scope", "workflow", "target", "frozen"));
    assertThat(pulled.status()).as(pulled.body().toString()).isEqualTo(201);
    try {
      ScheduleFixtures.makeDue(server, "acme", "frozen-hourly");
      assertThat(ScheduleFixtures.scheduler(server).pass())
          .filteredOn(f -> f.schedule().equals("frozen-hourly"))
          .singleElement()
          .satisfies(f -> assertThat(f.outcome().wire()).isEqualTo("denied"));
      JsonNode firing =
          api.call("GET", "/api/schedules/frozen-hourly", admin, null)
              .body()
              .path("firings")
              .get(0);
      assertThat(firing.path("outcome").asText()).isEqualTo("denied");
      assertThat(firing.path("detail").path("reasons").get(0).path("code").asText())
          .isEqualTo("kill_switch_active");
      assertThat(firing.has("runId")).isFalse();
    } finally {
      api.call("DELETE", "/api/kill-switches/" + pulled.body().path("id").asText(), admin, null);
    }
  }

  // --- webhook triggers ---

  static Map<String, String> signed(String id, long ts, String body, String secret) {
    return Map.of(
        "webhook-id",
        id,
        "webhook-timestamp",
        Long.toString(ts),
        "webhook-signature",
        WebhookSignature.header(id, ts, body, List.of(secret)));
  }

  static long count(String table) {
    return server
        .database()
        .inTransaction(
            TenantScope.platform(),
            tx ->
                tx.queryOne("SELECT count(*) AS n FROM " + table, rs -> rs.getLong("n"))
                    .orElseThrow());
  }

  @Test
  void webhookTrigger_signedRequestStartsARun_onceOnly_andBadOnesWriteNothing() {
    try {
      ScheduleFixtures.publish(server, api, admin, "hooked");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Api.Reply created = api.call("PUT", "/api/workflows/hooked/trigger", admin, null);
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String secret = created.body().path("secret").asText();
    String url = created.body().path("url").asText();
    assertThat(secret).startsWith("whsec_");
    assertThat(url).isEqualTo("/api/triggers/acme/hooked");
    assertThat(api.call("GET", "/api/workflows/hooked/trigger", viewer, null).body().has("secret"))
        .isFalse();

    String body = "{\"day\":\"friday\"}";
    long now = Instant.now().getEpochSecond();
    Api.Reply ok = api.call("POST", url, null, body, signed("msg_1", now, body, secret));
    assertThat(ok.status()).as(ok.body().toString()).isEqualTo(202);
    JsonNode run =
        api.call("GET", "/api/runs/" + ok.body().path("id").asText(), admin, null).body();
    assertThat(run.path("trigger").asText()).isEqualTo("webhook");
    assertThat(run.path("startedBy").asText()).isEqualTo("system:webhook-trigger");
    assertThat(run.path("inputs").path("day").asText()).isEqualTo("friday");

    long runs = count("engine_runs");
    long deliveries = count("engine_webhook_deliveries");
    Api.Reply replay = api.call("POST", url, null, body, signed("msg_1", now, body, secret));
    assertThat(replay.status()).isEqualTo(409);
    assertThat(replay.code()).isEqualTo("webhook_replayed");

    Map<String, String> tampered = signed("msg_2", now, body, secret);
    Api.Reply bad = api.call("POST", url, null, "{\"day\":\"saturday\"}", tampered);
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.code()).isEqualTo("webhook_signature_invalid");
    Api.Reply otherKey =
        api.call("POST", url, null, body, signed("msg_3", now, body, WebhookSignature.newSecret()));
    assertThat(otherKey.code()).isEqualTo("webhook_signature_invalid");
    Api.Reply unsigned = api.call("POST", url, null, body, Map.of("webhook-id", "msg_4"));
    assertThat(unsigned.code()).isEqualTo("webhook_signature_invalid");
    Api.Reply noTrigger =
        api.call(
            "POST", "/api/triggers/acme/report", null, body, signed("msg_5", now, body, secret));
    assertThat(noTrigger.code()).isEqualTo("webhook_signature_invalid");
    Api.Reply stale = api.call("POST", url, null, body, signed("msg_6", now - 3600, body, secret));
    assertThat(stale.status()).isEqualTo(401);
    assertThat(stale.code()).isEqualTo("webhook_timestamp_stale");
    assertThat(stale.raw().headers().firstValue("Content-Type"))
        .contains("application/problem+json");
    String notObject = "[1]";
    assertThat(
            api.call("POST", url, null, notObject, signed("msg_7", now, notObject, secret)).code())
        .isEqualTo("validation_failed");
    assertThat(count("engine_runs")).isEqualTo(runs);
    assertThat(count("engine_webhook_deliveries")).isEqualTo(deliveries);

    // A new secret replaces the old one at once.
    String rotated =
        api.call("PUT", "/api/workflows/hooked/trigger", admin, null)
            .body()
            .path("secret")
            .asText();
    assertThat(api.call("POST", url, null, body, signed("msg_8", now, body, secret)).code())
        .isEqualTo("webhook_signature_invalid");
    assertThat(api.call("POST", url, null, body, signed("msg_9", now, body, rotated)).status())
        .isEqualTo(202);
    assertThat(api.call("DELETE", "/api/workflows/hooked/trigger", admin, null).status())
        .isEqualTo(204);
    assertThat(api.call("GET", "/api/workflows/hooked/trigger", admin, null).code())
        .isEqualTo("trigger_not_found");
  }

  static String withSchedules(String name, String version, String cron) {
    return """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: %s, version: "%s"}
        spec:
          inputs: {type: object, properties: {day: {type: string}}}
          schedules:
            - {id: %s-nightly, cron: "%s", timeZone: Europe/Berlin, overlap: queue_one, inputs: {day: night}}
          tasks:
            - {id: hi, uses: core/log, with: {message: "hi"}}
        """
        .formatted(name, version, name, cron);
  }

  static int putAndPublish(String yaml, String name, String version) throws Exception {
    ScheduleFixtures.putDraft(server, admin, name, version, yaml);
    Api.Reply r =
        api.call(
            "POST", "/api/workflows/" + name + "/versions/" + version + "/publish", admin, null);
    return r.status();
  }

  @Test
  void manifestSchedules_followThePublishedVersion_andABadOneRefusesThePublish() throws Exception {
    assertThat(putAndPublish(withSchedules("declared", "1", "0 2 * * *"), "declared", "1"))
        .isEqualTo(200);
    JsonNode s = api.call("GET", "/api/schedules/declared-nightly", admin, null).body();
    assertThat(s.path("source").asText()).isEqualTo("manifest");
    assertThat(s.path("overlap").asText()).isEqualTo("queue_one");
    assertThat(s.path("timeZone").asText()).isEqualTo("Europe/Berlin");
    assertThat(s.path("inputs").path("day").asText()).isEqualTo("night");

    // Every 4 minutes is below schedules.minIntervalSeconds: the publish is refused, nothing
    // changes (the schedule keeps its cron, version 2 stays a draft).
    String yaml = withSchedules("declared", "2", "*/4 * * * *");
    ScheduleFixtures.putDraft(server, admin, "declared", "2", yaml);
    Api.Reply refused = api.call("POST", "/api/workflows/declared/versions/2/publish", admin, null);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.code()).isEqualTo("cron_too_frequent");
    assertThat(refused.body().path("detail").asText()).contains("spec.schedules[0]");
    assertThat(
            api.call("GET", "/api/schedules/declared-nightly", admin, null)
                .body()
                .path("cron")
                .asText())
        .isEqualTo("0 2 * * *");
    assertThat(api.call("GET", "/api/workflows/declared", admin, null).body().toString())
        .doesNotContain("\"activeVersion\":\"2\"");

    // Version 3 declares none: publishing it removes the manifest's schedule.
    String none = ScheduleFixtures.manifest("declared").replace("version: \"1\"", "version: \"3\"");
    assertThat(putAndPublish(none, "declared", "3")).isEqualTo(200);
    assertThat(api.call("GET", "/api/schedules/declared-nightly", admin, null).code())
        .isEqualTo("schedule_not_found");
  }
}
