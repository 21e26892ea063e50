package io.maestro.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.core.config.ConfigLoader;
import io.maestro.core.config.MaestroConfig;
import io.maestro.server.MaestroServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maestro as a product: a real server in this JVM, driven over HTTP on 127.0.0.1 with a dev JWT.
 * Every request passes the policy gate (token, membership, quota usage, a Rego decision) and every
 * state change writes its receipts (and metering rows) in the same transaction. The test tenant's
 * quotas are lifted so that the load itself is not refused. Timings come from the server's run
 * documents: first step {@code startedAt} and run {@code finishedAt}.
 */
public final class MaestroEngine implements Engine {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TERMINAL =
      Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

  private final HttpClient http = HttpClient.newBuilder().build();
  private final AtomicLong statusReads = new AtomicLong();
  private MaestroServer server;
  private String base;
  private String token;

  @Override
  public String name() {
    return "maestro";
  }

  @Override
  public void start(BenchDatabase database) throws Exception {
    Map<String, String> flags = new HashMap<>();
    flags.put("server.port", "0");
    flags.put("server.host", "127.0.0.1");
    flags.put("dataDir", database.dir().toString());
    flags.put("log.level", "WARN");
    flags.put("db.poolSize", Integer.toString(database.poolSize()));
    if (database.isPostgres()) {
      flags.put("db.url", database.url());
      flags.put("db.user", database.user());
      flags.put("db.schema", "perf");
    }
    MaestroConfig config = new ConfigLoader(Map.of(), database.dir()).load(Optional.empty(), flags);
    server = MaestroServer.start(config);
    base = "http://127.0.0.1:" + server.port();
    // The tenant's dev token provisions the tenant; then lift its baseline quotas (25 concurrent
    // runs, 600 steps a minute), which would refuse the load itself.
    String tenantToken =
        devToken("{\"tenant\":\"perf\",\"subject\":\"perf@perf\",\"roles\":[\"tenant_admin\"]}");
    token = devToken("{\"subject\":\"perf-admin\",\"roles\":[\"conductor_admin\"]}");
    check(
        call(
            "PATCH",
            "/api/tenants/perf",
            "{\"quotas\":{\"max_concurrent_runs\":1000000,\"max_steps_per_minute\":100000000,"
                + "\"max_receipt_backlog\":100000000}}",
            "application/json"),
        200);
    token = tenantToken;
    String yaml =
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: three, version: "1"}
        spec:
          tasks:
            - {id: one, uses: core/noop, with: {n: 1}}
            - {id: two, uses: core/noop, needs: [one], with: {n: "${{ tasks.one.outputs.n + 1 }}"}}
            - {id: three, uses: core/noop, needs: [two]}
        """;
    check(call("PUT", "/api/workflows/three/versions/1", yaml, "application/yaml"), 201);
    check(call("POST", "/api/workflows/three/versions/1/publish", null, null), 200);
  }

  @Override
  public String startRun() throws IOException, InterruptedException {
    HttpResponse<String> r =
        call("POST", "/api/runs", "{\"workflow\":\"three\"}", "application/json");
    if (r.statusCode() != 202) {
      throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body()).path("id").asText();
  }

  @Override
  public Map<String, RunTimes> awaitCompletion(Collection<String> ids, Instant deadline)
      throws Exception {
    Map<String, RunTimes> done = new HashMap<>();
    for (String id : ids) {
      while (Instant.now().isBefore(deadline)) {
        statusReads.incrementAndGet();
        JsonNode run = JSON.readTree(call("GET", "/api/runs/" + id, null, null).body());
        String status = run.path("status").asText();
        if (TERMINAL.contains(status)) {
          JsonNode started = run.path("steps").path(0).path("startedAt");
          Instant finished = Instant.parse(run.path("finishedAt").asText());
          done.put(
              id,
              new RunTimes(
                  started.isTextual() ? Instant.parse(started.asText()) : finished,
                  finished,
                  status.equals("SUCCEEDED")));
          break;
        }
        Thread.sleep(50);
      }
    }
    return done;
  }

  /** The server's database, for seeding through the modules' Java APIs. */
  public io.maestro.store.Database database() {
    return server.database();
  }

  /** Downloads {@code path} with the tenant's token into {@code file}; returns the status. */
  public HttpResponse<java.nio.file.Path> download(String path, java.nio.file.Path file)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofFile(file));
  }

  @Override
  public long statusReads() {
    return statusReads.get();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  private String devToken(String request) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/dev/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("dev token: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).path("token").asText();
  }

  private HttpResponse<String> call(String method, String path, String body, String type)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void check(HttpResponse<String> r, int status) {
    if (r.statusCode() != status) {
      throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
    }
  }
}
