package io.maestro.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

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
}
