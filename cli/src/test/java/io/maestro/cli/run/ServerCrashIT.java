package io.maestro.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.maestro.cli.CliRunner;
import io.maestro.store.testing.TestDatabase;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code maestro server} processes share one PostgreSQL database; one is killed with SIGKILL
 * while it executes steps. The other must finish every run, each step in one attempt: the dead
 * server's leases expire and its attempts are delivered again (at-least-once, counted). The long
 * step is a {@code core/http} call to a slow endpoint of this test, so no sandbox is needed.
 */
class ServerCrashIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int RUNS = 8;

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  JsonNode call(String base, String method, String path, String token, String body, String type)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return JSON.readTree(r.body());
  }

  CliRunner.Running server(Map<String, String> env) throws Exception {
    return CliRunner.start(
        dir,
        env,
        "listening on",
        CliRunner.SERVER_START,
        "server",
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--data-dir",
        dir.resolve("data").toString(),
        "--db-url",
        TestDatabase.postgresUrl());
  }

  static String url(CliRunner.Running s) {
    return RunCommandIT.url(s);
  }

  @Test
  void sigkillOneOfTwoServers_theOtherFinishesEveryRun() throws Exception {
    TestDatabase.requirePostgres();
    String schema = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Map<String, String> env =
        Map.of(
            "MAESTRO_DB_SCHEMA",
            schema,
            "MAESTRO_DB_USER",
            TestDatabase.postgresUser(),
            "MAESTRO_ENGINE_HTTP_ALLOWED_HOSTS",
            "127.0.0.1");
    HttpServer slow =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    slow.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    slow.createContext(
        "/slow",
        exchange -> {
          try {
            Thread.sleep(4000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = "done".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    slow.start();
    try (CliRunner.Running a = server(env);
        CliRunner.Running b = server(env)) {
      String urlA = url(a);
      String urlB = url(b);
      String token =
          call(
                  urlA,
                  "POST",
                  "/api/dev/token",
                  null,
                  "{\"tenant\":\"crash\",\"subject\":\"ops@crash\",\"roles\":[\"tenant_admin\"]}",
                  "application/json")
              .path("token")
              .asText();
      String manifest =
          """
          apiVersion: maestro/v1
          kind: Workflow
          metadata: {name: crash, version: "1"}
          spec:
            tasks:
              - {id: work, uses: core/http, timeout: 2m, with: {url: "%s/slow"}}
              - {id: after, uses: core/log, needs: [work], with: {message: "after ${{ tasks.work.outputs.body }}"}}
          """
              .formatted("http://127.0.0.1:" + slow.getAddress().getPort());
      call(urlA, "PUT", "/api/workflows/crash/versions/1", token, manifest, "application/yaml");
      call(urlA, "POST", "/api/workflows/crash/versions/1/publish", token, null, null);
      List<String> runs = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        runs.add(
            call(urlA, "POST", "/api/runs", token, "{\"workflow\":\"crash\"}", "application/json")
                .path("id")
                .asText());
      }
      // Kill A once every first step is running somewhere (both servers claim work).
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        int running = 0;
        for (String id : runs) {
          JsonNode r = call(urlB, "GET", "/api/runs/" + id, token, null, null);
          if (!r.path("steps").get(0).path("status").asText().matches("PENDING|READY")) {
            running++;
          }
        }
        if (running == RUNS) {
          break;
        }
        assertThat(System.nanoTime()).as("steps started in time").isLessThan(deadline);
        Thread.sleep(100);
      }
      a.process().destroyForcibly(); // SIGKILL: no drain, no lease released
      assertThat(a.process().waitFor(20, TimeUnit.SECONDS)).isTrue();

      deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
      int duplicates = 0;
      for (String id : runs) {
        JsonNode r;
        while (true) {
          r = call(urlB, "GET", "/api/runs/" + id, token, null, null);
          if (r.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED|TIMED_OUT")) {
            break;
          }
          assertThat(System.nanoTime()).as("run " + id + " finished in time").isLessThan(deadline);
          Thread.sleep(250);
        }
        assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        for (JsonNode s : r.path("steps")) {
          assertThat(s.path("attempt").asInt()).as(s.toString()).isEqualTo(1);
          duplicates += s.path("duplicates").asInt();
        }
      }
      System.out.println("redelivered attempts after the SIGKILL: " + duplicates);
    } finally {
      slow.stop(0);
      try (Connection c =
          DriverManager.getConnection(
              TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "")) {
        c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
