package io.maestro.server.governance;

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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ramps, kill switches, freezes and break-glass through the real server over HTTP, decided by the
 * canon policy packs: each refusal is a policy decision with its reason code.
 */
class GovernanceApiTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String admin;
  static String platform;

  static String manifest(String name, String version) {
    return """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: %s, version: "%s"}
        spec:
          tasks:
            - {id: hi, uses: core/log, with: {message: "hi"}}
        """
        .formatted(name, version);
  }

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dir);
    api = new Api(server.port());
    admin = api.token("acme", "ada@acme", "tenant_admin");
    platform = api.token(null, "root@platform", "conductor_admin");
    // Room for the admitted runs of the ramp test.
    Api.Reply q =
        api.call(
            "PATCH",
            "/api/tenants/acme",
            platform,
            Map.of("quotas", Map.of("max_concurrent_runs", 5000, "max_steps_per_minute", 100000)));
    assertThat(q.status()).as(q.body().toString()).isEqualTo(200);
    for (String[] wf :
        List.of(
            new String[] {"hello", "1"},
            new String[] {"hello", "2"},
            new String[] {"other", "1"},
            new String[] {"frozen", "1"})) {
      putVersion(wf[0], wf[1]);
      if (!wf[0].equals("frozen")) {
        publish(wf[0], wf[1], Map.of());
      }
    }
  }

  static void putVersion(String name, String version) throws Exception {
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.port()
                                + "/api/workflows/"
                                + name
                                + "/versions/"
                                + version))
                    .header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(manifest(name, version)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
  }

  static Api.Reply publish(String name, String version, Map<String, String> headers) {
    return api.call(
        "POST",
        "/api/workflows/" + name + "/versions/" + version + "/publish",
        admin,
        null,
        headers);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Api.Reply start(String workflow, String version, String key) {
    return api.call(
        "POST",
        "/api/runs",
        admin,
        Map.of("workflow", workflow, "version", version, "idempotencyKey", key));
  }

  @Test
  void ramp_thousandStartsAtTenPercentAdmitAboutATenthAndTheSameOnRepeat() {
    Api.Reply set =
        api.call("PUT", "/api/ramps/hello", admin, Map.of("percent", 10, "version", "2"));
    assertThat(set.status()).as(set.body().toString()).isEqualTo(200);
    assertThat(set.body().path("step").asInt()).isEqualTo(1);

    Set<String> admitted = new HashSet<>();
    String someRun = null;
    for (int i = 0; i < 1000; i++) {
      Api.Reply r = start("hello", "2", "ramp-key-" + i);
      if (r.status() == 202) {
        admitted.add("ramp-key-" + i);
        someRun = r.body().path("id").asText();
      } else {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(403);
        assertThat(r.reasonCodes()).containsExactly("ramp_excluded");
        assertThat(r.body().path("detail").asText()).contains("admits 10%");
      }
    }
    assertThat(admitted.size()).isBetween(80, 120);

    // The same keys get the same answers.
    Set<String> again = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      if (start("hello", "2", "ramp-key-" + i).status() == 202) {
        again.add("ramp-key-" + i);
      }
    }
    assertThat(again).isEqualTo(admitted);

    // The other version is not ramped; the admitted run records the ramp step that admitted it.
    assertThat(start("hello", "1", "v1-key").status()).isEqualTo(202);
    JsonNode admission =
        api.call("GET", "/api/runs/" + someRun + "?explain=true", admin, null)
            .body()
            .path("admission");
    JsonNode ob = admission.path("obligations").get(0);
    assertThat(ob.path("type").asText()).isEqualTo("ramp_admitted");
    assertThat(ob.path("step").asInt()).isEqualTo(1);
    assertThat(ob.path("percent").asInt()).isEqualTo(10);

    // Raising the ramp is a new step with a JSON diff and a receipt.
    Api.Reply up =
        api.call("PUT", "/api/ramps/hello", admin, Map.of("percent", 50, "version", "2"));
    assertThat(up.body().path("step").asInt()).isEqualTo(2);
    JsonNode history = api.call("GET", "/api/ramps/history?workflow=hello", admin, null).body();
    JsonNode last = history.path("items").get(0);
    assertThat(last.path("diff").path("percent").path("from").asInt()).isEqualTo(10);
    assertThat(last.path("diff").path("percent").path("to").asInt()).isEqualTo(50);
    assertThat(last.path("receipt_id").asText()).isNotBlank();
    assertThat(last.path("decision_id").asText()).isNotBlank();
    JsonNode ramps = api.call("GET", "/api/ramps", admin, null).body();
    assertThat(ramps.path("items").get(0).path("percent").asInt()).isEqualTo(50);
    api.call("PUT", "/api/ramps/hello", admin, Map.of("percent", 100, "version", "2"));
  }

  @Test
  void ramp_badInputIsRefusedWithStableCodes() {
    assertThat(api.call("PUT", "/api/ramps/hello", admin, Map.of("percent", 101)).code())
        .isEqualTo("ramp_percent_invalid");
    assertThat(api.call("PUT", "/api/ramps/hello", admin, Map.of("percent", -1)).code())
        .isEqualTo("ramp_percent_invalid");
    assertThat(api.call("PUT", "/api/ramps/hello", admin, Map.of("percent", "ten")).code())
        .isEqualTo("ramp_percent_invalid");
    Api.Reply unknown = api.call("PUT", "/api/ramps/nope", admin, Map.of("percent", 10));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.code()).isEqualTo("governance_workflow_unknown");
    assertThat(
            api.call("PUT", "/api/ramps/hello", admin, Map.of("percent", 5, "version", "9")).code())
        .isEqualTo("governance_workflow_unknown");
    String viewer = api.token("acme", "val@acme", "read_only");
    assertThat(api.call("PUT", "/api/ramps/hello", viewer, Map.of("percent", 5)).reasonCodes())
        .containsExactly("role_not_permitted");
  }

  @Test
  void killSwitch_stopsTheNextStartUntilReleasedAndIsReceipted() {
    assertThat(start("other", "1", "before-kill").status()).isEqualTo(202);
    Api.Reply pulled =
        api.call(
            "POST",
            "/api/kill-switches",
            admin,
            Map.of("scope", "workflow", "target", "other", "reason", "bad deploy"));
    assertThat(pulled.status()).as(pulled.body().toString()).isEqualTo(201);
    String id = pulled.body().path("id").asText();

    Api.Reply refused = start("other", "1", "after-kill");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.reasonCodes()).containsExactly("kill_switch_active");
    assertThat(start("hello", "1", "unrelated-" + id).status()).isEqualTo(202);
    assertThat(api.call("GET", "/api/kill-switches", admin, null).body().path("items").toString())
        .contains(id);

    assertThat(api.call("DELETE", "/api/kill-switches/" + id, admin, null).status()).isEqualTo(200);
    assertThat(start("other", "1", "after-release").status()).isEqualTo(202);
    assertThat(api.call("DELETE", "/api/kill-switches/" + id, admin, null).code())
        .isEqualTo("kill_switch_not_found");

    for (String type : List.of("kill_switch.pulled", "kill_switch.released")) {
      JsonNode r = api.call("GET", "/api/receipts?type=" + type, admin, null).body();
      assertThat(r.path("receipts").size()).as(type + ": " + r).isGreaterThan(0);
    }
  }

  @Test
  void killSwitch_cancelModeCancelsRunningRunsWithAReceiptEach() {
    String approval =
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: waits, version: "1"}
        spec:
          tasks:
            - {id: gate, uses: core/approval}
        """;
    try {
      HttpResponse<String> put =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + server.port()
                                  + "/api/workflows/waits/versions/1"))
                      .header("Authorization", "Bearer " + admin)
                      .header("Content-Type", "application/yaml")
                      .PUT(HttpRequest.BodyPublishers.ofString(approval))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    publish("waits", "1", Map.of());
    String run = start("waits", "1", "waiting-run").body().path("id").asText();
    Api.Reply pulled =
        api.call(
            "POST",
            "/api/kill-switches",
            admin,
            Map.of("scope", "workflow", "target", "waits", "mode", "cancel"));
    assertThat(pulled.status()).as(pulled.body().toString()).isEqualTo(201);
    assertThat(pulled.body().path("applied").toString()).contains(run).contains("cancelled");
    assertThat(api.call("GET", "/api/runs/" + run, admin, null).body().path("status").asText())
        .isEqualTo("CANCELLED");
  }

  @Test
  void killSwitch_scopeAndRolesAreDecidedByPolicy() {
    Api.Reply global =
        api.call("POST", "/api/kill-switches", admin, Map.of("scope", "global", "reason", "x"));
    assertThat(global.status()).isEqualTo(403);
    assertThat(global.reasonCodes()).contains("kill_switch_scope_not_permitted");
    String viewer = api.token("acme", "vic@acme", "read_only");
    assertThat(
            api.call("POST", "/api/kill-switches", viewer, Map.of("target", "other")).reasonCodes())
        .containsExactly("role_not_permitted");
    assertThat(api.call("POST", "/api/kill-switches", admin, Map.of("scope", "galaxy")).code())
        .isEqualTo("kill_switch_invalid");
    assertThat(api.call("POST", "/api/kill-switches", admin, Map.of("target", "nope")).code())
        .isEqualTo("governance_workflow_unknown");
    assertThat(
            api.call(
                    "POST",
                    "/api/kill-switches",
                    admin,
                    Map.of("target", "other", "mode", "explode"))
                .code())
        .isEqualTo("kill_switch_invalid");
  }

  @Test
  void freeze_deniesPublishUntilBreakGlassLetsItThroughOnTheRecord() {
    String t = "globex";
    String gadmin = api.token(t, "gus@globex", "tenant_admin");
    String gops = api.token(t, "oli@globex", "operator");
    // The freeze covers now.
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Api.Reply f =
        api.call(
            "POST",
            "/api/freezes",
            gadmin,
            Map.of(
                "kind",
                "once",
                "from",
                now.minusSeconds(60).toString(),
                "to",
                now.plusSeconds(3600).toString(),
                "reason",
                "year-end"));
    assertThat(f.status()).as(f.body().toString()).isEqualTo(201);
    assertThat(f.body().path("active").asBoolean()).isTrue();

    // Overlapping and inverted windows are refused.
    assertThat(
            api.call(
                    "POST",
                    "/api/freezes",
                    gadmin,
                    Map.of(
                        "from", now.plusSeconds(600).toString(),
                        "to", now.plusSeconds(7200).toString()))
                .code())
        .isEqualTo("freeze_window_overlap");
    assertThat(
            api.call(
                    "POST",
                    "/api/freezes",
                    gadmin,
                    Map.of(
                        "from", now.plusSeconds(90000).toString(),
                        "to", now.plusSeconds(80000).toString()))
                .code())
        .isEqualTo("freeze_window_invalid");
    assertThat(
            api.call(
                    "POST",
                    "/api/freezes",
                    gadmin,
                    Map.of(
                        "kind",
                        "weekly",
                        "from",
                        "FRI 16:00",
                        "to",
                        "MON 08:00",
                        "zone",
                        "Mars/Base"))
                .code())
        .isEqualTo("freeze_window_invalid");

    // A ramp change is privileged: the gate refuses it during the freeze, before the handler looks
    // at the workflow.
    Api.Reply ramp = api.call("PUT", "/api/ramps/late", gadmin, Map.of("percent", 10));
    assertThat(ramp.status()).isEqualTo(403);
    assertThat(ramp.reasonCodes()).containsExactly("freeze_active");

    Api.Reply grantWithoutReason =
        api.call(
            "POST",
            "/api/break-glass",
            gops,
            Map.of("for", "30m", "actions", List.of("ramp.write")));
    assertThat(grantWithoutReason.code()).isEqualTo("break_glass_invalid");

    Api.Reply grant =
        api.call(
            "POST",
            "/api/break-glass",
            gops,
            Map.of("reason", "hotfix INC-7", "for", "30m", "actions", List.of("ramp.write")));
    assertThat(grant.status()).as(grant.body().toString()).isEqualTo(201);
    assertThat(grant.body().path("state").asText()).isEqualTo("open");
    String grantId = grant.body().path("id").asText();
    // Under the grant the ramp change passes the policy and reaches the handler.
    assertThat(api.call("PUT", "/api/ramps/late", gadmin, Map.of("percent", 10)).code())
        .isEqualTo("governance_workflow_unknown");

    Api.Reply closed = api.call("POST", "/api/break-glass/" + grantId + "/close", gadmin, Map.of());
    assertThat(closed.body().path("state").asText()).isEqualTo("closed");
    Api.Reply named =
        api.call("GET", "/api/freezes", gadmin, null, Map.of("X-Maestro-Break-Glass", grantId));
    assertThat(named.status()).isEqualTo(403);
    assertThat(named.reasonCodes()).containsExactly("break_glass_expired");

    List<String> ids = new ArrayList<>();
    for (JsonNode x : api.call("GET", "/api/break-glass", gadmin, null).body().path("items")) {
      ids.add(x.path("id").asText());
    }
    assertThat(ids).contains(grantId);
  }

  @Test
  void freeze_publishDeniedThenAllowedUnderBreakGlassWithEveryStepReceipted() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Api.Reply f =
        api.call(
            "POST",
            "/api/freezes",
            admin,
            Map.of(
                "from", now.minusSeconds(30).toString(),
                "to", now.plusSeconds(1800).toString(),
                "reason", "change freeze"));
    assertThat(f.status()).as(f.body().toString()).isEqualTo(201);
    try {
      Api.Reply denied = publish("frozen", "1", Map.of());
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.reasonCodes()).containsExactly("freeze_active");

      Api.Reply grant =
          api.call(
              "POST",
              "/api/break-glass",
              admin,
              Map.of(
                  "reason", "security fix", "for", "15m", "actions", List.of("workflow.publish")));
      assertThat(grant.status()).as(grant.body().toString()).isEqualTo(201);
      String id = grant.body().path("id").asText();

      Api.Reply allowed = publish("frozen", "1", Map.of());
      assertThat(allowed.status()).as(allowed.body().toString()).isEqualTo(200);

      JsonNode listed = api.call("GET", "/api/break-glass", admin, null).body();
      JsonNode mine = null;
      for (JsonNode x : listed.path("items")) {
        if (x.path("id").asText().equals(id)) {
          mine = x;
        }
      }
      assertThat(mine).isNotNull();
      assertThat(mine.path("uses").get(0).path("action").asText()).isEqualTo("workflow.publish");
      for (String type : List.of("freeze.added", "break_glass.opened", "break_glass.used")) {
        JsonNode r = api.call("GET", "/api/receipts?type=" + type, admin, null).body();
        assertThat(r.path("receipts").size()).as(type + ": " + r).isGreaterThan(0);
      }
    } finally {
      api.call("DELETE", "/api/freezes/" + f.body().path("id").asText(), admin, null);
    }
  }
}
