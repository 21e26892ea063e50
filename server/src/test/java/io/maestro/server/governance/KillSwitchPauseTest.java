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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill switch in pause mode over HTTP on a real server (ADR 0041): it pauses the running runs it
 * matches, each under its own {@code run.pause} decision and receipt; a paused run's due work is
 * not dispatched; releasing the switch resumes each run it paused under a {@code run.resume}
 * decision, unless another pause switch still matches it.
 */
class KillSwitchPauseTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String admin;

  /**
   * A timer the run waits on (long enough for a test to pull a switch while it waits), then a step
   * that needs it.
   */
  static final String NAPPER =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: %s, version: "%s"}
      spec:
        tasks:
          - {id: nap, uses: core/wait, with: {duration: 1500ms}}
          - {id: after, uses: core/log, needs: [nap], with: {message: "awake"}}
      """;

  /** Starts a {@code kid} child run, which is admitted under the caller's decision. */
  static final String CALLER =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: caller, version: "1"}
      spec:
        tasks:
          - {id: child, uses: core/workflow, with: {workflow: kid}}
      """;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dir);
    api = new Api(server.port());
    admin = api.token("acme", "ada@acme", "tenant_admin");
    for (String[] wf :
        List.of(
            new String[] {"napper", "1"},
            new String[] {"twice", "2"},
            new String[] {"kid", "1"},
            new String[] {"caller", "1"})) {
      put(wf[0], wf[1]);
      assertThat(
              api.call(
                      "POST",
                      "/api/workflows/" + wf[0] + "/versions/" + wf[1] + "/publish",
                      admin,
                      null)
                  .status())
          .isEqualTo(200);
    }
  }

  static void put(String name, String version) throws Exception {
    HttpResponse<String> r =
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
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            switch (name) {
                              case "caller" -> CALLER;
                              // Longer than two sweeps (5 s), so the sweep finds it still going.
                              case "kid" ->
                                  NAPPER.formatted(name, version).replace("1500ms", "15s");
                              default -> NAPPER.formatted(name, version);
                            }))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String startRun(String workflow) {
    Api.Reply r = api.call("POST", "/api/runs", admin, Map.of("workflow", workflow));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
    return r.body().path("id").asText();
  }

  static JsonNode run(String id) {
    return api.call("GET", "/api/runs/" + id, admin, null).body();
  }

  static JsonNode await(String id, Predicate<JsonNode> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonNode r = run(id);
      if (done.test(r)) {
        return r;
      }
      assertThat(System.nanoTime()).as("run %s never got there: %s", id, r).isLessThan(deadline);
      sleep(50);
    }
  }

  static String stepStatus(JsonNode run, String step) {
    for (JsonNode s : run.path("steps")) {
      if (s.path("id").asText().equals(step)) {
        return s.path("status").asText();
      }
    }
    return "";
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static List<JsonNode> receipts(String type, String runId) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode body = api.call("GET", "/api/receipts?run=" + runId, admin, null).body();
    for (JsonNode r : body.path("receipts")) {
      if (r.path("type").asText().equals(type)) {
        out.add(r);
      }
    }
    return out;
  }

  @Test
  void pauseSwitch_pausesRunningRunsAndUnkillResumesThem() {
    String runId = startRun("napper");
    await(runId, r -> stepStatus(r, "nap").equals("WAITING"));

    Api.Reply pulled =
        api.call(
            "POST",
            "/api/kill-switches",
            admin,
            Map.of("scope", "workflow", "target", "napper", "mode", "pause", "reason", "db slow"));
    assertThat(pulled.status()).as(pulled.body().toString()).isEqualTo(201);
    String switchId = pulled.body().path("id").asText();
    assertThat(pulled.body().path("applied").toString())
        .contains(runId)
        .contains("\"outcome\":\"paused\"");

    // Its timer comes due meanwhile, but nothing of a paused run is dispatched.
    sleep(2000);
    JsonNode paused = run(runId);
    assertThat(paused.path("status").asText()).isEqualTo("PAUSED");
    assertThat(stepStatus(paused, "nap")).isEqualTo("WAITING");
    assertThat(stepStatus(paused, "after")).isEqualTo("PENDING");
    JsonNode listed = api.call("GET", "/api/runs?status=paused", admin, null).body();
    assertThat(listed.path("items").toString()).contains(runId);
    Api.Reply refused = api.call("POST", "/api/runs", admin, Map.of("workflow", "napper"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.reasonCodes()).containsExactly("workflow_paused");

    JsonNode pauseReceipt = receipts("run.paused", runId).getFirst();
    assertThat(pauseReceipt.path("decision").path("allow").asBoolean()).isTrue();
    assertThat(pauseReceipt.toString()).contains(switchId).contains("run.pause");

    Api.Reply released = api.call("DELETE", "/api/kill-switches/" + switchId, admin, null);
    assertThat(released.status()).as(released.body().toString()).isEqualTo(200);
    assertThat(released.body().path("applied").toString())
        .contains(runId)
        .contains("\"outcome\":\"resumed\"");
    JsonNode done = await(runId, r -> r.path("status").asText().equals("SUCCEEDED"));
    assertThat(stepStatus(done, "after")).isEqualTo("SUCCEEDED");
    assertThat(receipts("run.resumed", runId)).hasSize(1);
    assertThat(receipts("run.resumed", runId).getFirst().toString()).contains("run.resume");
    assertThat(startRun("napper")).isNotBlank();
  }

  /** Two pause switches hold the same run: releasing one leaves it paused, on the record. */
  @Test
  void pausedRun_staysPausedWhileAnotherPauseSwitchMatchesIt() {
    String runId = startRun("twice");
    await(runId, r -> stepStatus(r, "nap").equals("WAITING"));
    String whole =
        api.call(
                "POST",
                "/api/kill-switches",
                admin,
                Map.of("scope", "workflow", "target", "twice", "mode", "pause"))
            .body()
            .path("id")
            .asText();
    Api.Reply version =
        api.call(
            "POST",
            "/api/kill-switches",
            admin,
            Map.of("scope", "version", "target", "twice", "version", "2", "mode", "pause"));
    assertThat(version.body().path("applied").toString()).contains("already_paused");

    Api.Reply first = api.call("DELETE", "/api/kill-switches/" + whole, admin, null);
    assertThat(first.body().path("applied").toString()).contains("still_paused");
    sleep(500);
    assertThat(run(runId).path("status").asText()).isEqualTo("PAUSED");
    JsonNode refusal =
        api.call("GET", "/api/receipts?type=kill_switch.applied&limit=100", admin, null).body();
    assertThat(refusal.toString()).contains("still_paused").contains("run_still_paused");

    Api.Reply second =
        api.call("DELETE", "/api/kill-switches/" + version.body().path("id").asText(), admin, null);
    assertThat(second.body().path("applied").toString()).contains("resumed");
    assertThat(await(runId, r -> r.path("status").asText().equals("SUCCEEDED"))).isNotNull();
  }

  /**
   * A child run starts under its parent's admission, not a start decision of its own, so a pause
   * switch on its workflow does not refuse it: the server's sweep pauses it within seconds, under
   * its own run.pause decision.
   */
  @Test
  void childRunStartedUnderAPauseSwitch_isPausedBySweep() {
    String switchId =
        api.call(
                "POST",
                "/api/kill-switches",
                admin,
                Map.of("scope", "workflow", "target", "kid", "mode", "pause"))
            .body()
            .path("id")
            .asText();
    String parent = startRun("caller");
    JsonNode waiting = await(parent, r -> stepStatus(r, "child").equals("WAITING"));
    JsonNode kids = api.call("GET", "/api/runs?workflow=kid", admin, null).body().path("items");
    assertThat(kids.size()).as(waiting.toString()).isEqualTo(1);
    String child = kids.get(0).path("id").asText();
    await(child, r -> r.path("status").asText().equals("PAUSED"));
    assertThat(receipts("run.paused", child)).hasSize(1);

    Api.Reply released = api.call("DELETE", "/api/kill-switches/" + switchId, admin, null);
    assertThat(released.body().path("applied").toString()).contains(child).contains("resumed");
    await(parent, r -> r.path("status").asText().equals("SUCCEEDED"));
  }
}
