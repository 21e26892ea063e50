package io.maestro.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.auth.Api;
import io.maestro.server.auth.PostgresServers;
import io.maestro.store.testing.RequiresPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes' worth of servers on one PostgreSQL schema: a kill switch pulled through one
 * refuses the next start on the other within a second (NOTIFY drops the other's cached controls),
 * and releasing it there lets starts through again. Skipped without PostgreSQL outside CI, like
 * every PostgreSQL test.
 */
@RequiresPostgres
class KillSwitchTwoServersPostgresTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  String schema;
  MaestroServer a;
  MaestroServer b;

  @AfterEach
  void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (schema != null) {
      PostgresServers.drop(schema);
    }
  }

  @Test
  void killSwitchPulledOnOneServer_refusesTheNextStartOnTheOtherWithinASecond() throws Exception {
    schema = PostgresServers.newSchema();
    a = PostgresServers.start(dirA, schema);
    b = PostgresServers.start(dirB, schema);
    Api apiA = new Api(a.port());
    Api apiB = new Api(b.port());
    String adminA = apiA.token("acme", "ada@acme", "tenant_admin");
    String adminB = apiB.token("acme", "ada@acme", "tenant_admin");

    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + a.port() + "/api/workflows/hello/versions/1"))
                    .header("Authorization", "Bearer " + adminA)
                    .header("Content-Type", "application/yaml")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            GovernanceApiTest.manifest("hello", "1")))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(apiA.call("POST", "/api/workflows/hello/versions/1/publish", adminA, null).status())
        .isEqualTo(200);
    // B has read (and cached) the controls before the switch is pulled.
    assertThat(apiB.call("POST", "/api/runs", adminB, Map.of("workflow", "hello")).status())
        .isEqualTo(202);

    Api.Reply pulled =
        apiA.call(
            "POST", "/api/kill-switches", adminA, Map.of("scope", "workflow", "target", "hello"));
    assertThat(pulled.status()).as(pulled.body().toString()).isEqualTo(201);
    long deadline = System.nanoTime() + 1_000_000_000L;
    Api.Reply refused;
    do {
      refused = apiB.call("POST", "/api/runs", adminB, Map.of("workflow", "hello"));
    } while (refused.status() == 202 && System.nanoTime() < deadline);
    assertThat(refused.status()).as("server B still admits starts a second later").isEqualTo(403);
    assertThat(refused.reasonCodes()).containsExactly("kill_switch_active");

    String id = pulled.body().path("id").asText();
    assertThat(apiB.call("DELETE", "/api/kill-switches/" + id, adminB, null).status())
        .isEqualTo(200);
    deadline = System.nanoTime() + 1_000_000_000L;
    Api.Reply admitted;
    do {
      admitted = apiA.call("POST", "/api/runs", adminA, Map.of("workflow", "hello"));
    } while (admitted.status() != 202 && System.nanoTime() < deadline);
    assertThat(admitted.status()).isEqualTo(202);
  }

  /**
   * A pause pulled through A pauses a run started through B, and B's workers dispatch nothing of it
   * (the pause is the run's state and its held queue rows, read by every server's claims); the
   * release through B resumes it, and it finishes.
   */
  @Test
  void pausePulledOnOneServer_holdsTheRunOnBothAndUnkillOnTheOtherResumesIt() throws Exception {
    schema = PostgresServers.newSchema();
    a = PostgresServers.start(dirA, schema);
    b = PostgresServers.start(dirB, schema);
    Api apiA = new Api(a.port());
    Api apiB = new Api(b.port());
    String adminA = apiA.token("acme", "ada@acme", "tenant_admin");
    String adminB = apiB.token("acme", "ada@acme", "tenant_admin");
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + a.port() + "/api/workflows/napper/versions/1"))
                    .header("Authorization", "Bearer " + adminA)
                    .header("Content-Type", "application/yaml")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            KillSwitchPauseTest.NAPPER.formatted("napper", "1")))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(apiA.call("POST", "/api/workflows/napper/versions/1/publish", adminA, null).status())
        .isEqualTo(200);
    Api.Reply started = apiB.call("POST", "/api/runs", adminB, Map.of("workflow", "napper"));
    assertThat(started.status()).isEqualTo(202);
    String runId = started.body().path("id").asText();
    awaitStep(apiB, adminB, runId, "nap", "WAITING");

    Api.Reply pulled =
        apiA.call(
            "POST",
            "/api/kill-switches",
            adminA,
            Map.of("scope", "workflow", "target", "napper", "mode", "pause"));
    assertThat(pulled.status()).as(pulled.body().toString()).isEqualTo(201);
    assertThat(pulled.body().path("applied").toString()).contains(runId).contains("paused");
    Thread.sleep(2000); // the 1.5 s timer comes due meanwhile
    JsonNode seenByB = apiB.call("GET", "/api/runs/" + runId, adminB, null).body();
    assertThat(seenByB.path("status").asText()).isEqualTo("PAUSED");
    assertThat(KillSwitchPauseTest.stepStatus(seenByB, "nap")).isEqualTo("WAITING");
    assertThat(apiB.call("GET", "/api/runs?status=paused", adminB, null).body().toString())
        .contains(runId);

    Api.Reply released =
        apiB.call(
            "DELETE", "/api/kill-switches/" + pulled.body().path("id").asText(), adminB, null);
    assertThat(released.status()).isEqualTo(200);
    assertThat(released.body().path("applied").toString()).contains(runId).contains("resumed");
    awaitStatus(apiA, adminA, runId, "SUCCEEDED");
  }

  private static void awaitStep(Api api, String token, String runId, String step, String status)
      throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!KillSwitchPauseTest.stepStatus(
            api.call("GET", "/api/runs/" + runId, token, null).body(), step)
        .equals(status)) {
      assertThat(System.nanoTime()).as("step %s never %s", step, status).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void awaitStatus(Api api, String token, String runId, String status)
      throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!api.call("GET", "/api/runs/" + runId, token, null)
        .body()
        .path("status")
        .asText()
        .equals(status)) {
      assertThat(System.nanoTime()).as("run never %s", status).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
