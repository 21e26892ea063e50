package io.maestro.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.server.MaestroServer;
import io.maestro.server.auth.Api;
import io.maestro.store.TenantScope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What the schedule tests share: publishing a workflow, making a tick due, the scheduler. */
public final class ScheduleFixtures {
  private ScheduleFixtures() {}

  static String manifest(String name) {
    return """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: %s, version: "1"}
        spec:
          inputs: {type: object, properties: {day: {type: string}}}
          tasks:
            - {id: hi, uses: core/log, with: {message: "hi"}}
        """
        .formatted(name);
  }

  static void publish(MaestroServer server, Api api, String token, String name) throws Exception {
    assertThat(putDraft(server, token, name, "1", manifest(name))).isEqualTo(201);
    assertThat(
            api.call("POST", "/api/workflows/" + name + "/versions/1/publish", token, null)
                .status())
        .isEqualTo(200);
  }

  /** Saves {@code yaml} as a draft of {@code name@version}; returns the status (201 or 200). */
  static int putDraft(MaestroServer server, String token, String name, String version, String yaml)
      throws Exception {
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
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(yaml))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    return put.statusCode();
  }

  /**
   * Makes the schedule's next tick the start of the current hour, as if the clock had reached it
   * (the schedules here tick hourly with an hour of catch-up, so that tick fires now).
   */
  public static Instant makeDue(MaestroServer server, String tenant, String id) {
    Instant tick = Instant.now().truncatedTo(ChronoUnit.HOURS);
    int n =
        server
            .database()
            .inTransaction(
                TenantScope.platform(),
                tx ->
                    tx.update(
                        "UPDATE engine_schedules SET next_tick = ? WHERE tenant_id = ?"
                            + " AND schedule_id = ?",
                        tick,
                        tenant,
                        id));
    assertThat(n).isEqualTo(1);
    return tick;
  }

  public static Scheduler scheduler(MaestroServer server) {
    return server.service(ScheduleService.class).orElseThrow().scheduler();
  }
}
