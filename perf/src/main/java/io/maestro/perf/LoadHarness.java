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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * The load harness. Starts a real server in this process (embedded H2, or PostgreSQL with {@code
 * --pg}), publishes a three-step workflow over HTTP, then:
 *
 * <ol>
 *   <li><b>burst</b>: starts {@code --concurrent} runs at once (default 1,000) and measures, from
 *       the server's own timestamps, publish→start latency: run accepted (created) → first step
 *       RUNNING; plus the HTTP accept latency and the error count;
 *   <li><b>sustained</b>: starts {@code --runs} runs (default 3,000) from 64 concurrent clients as
 *       fast as they are accepted and reports completed 3-step runs per second (first accept to
 *       last finish).
 * </ol>
 *
 * The run loops are bounded in count and time and send traffic only to 127.0.0.1.
 */
public final class LoadHarness {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofMinutes(10);

  private final HttpClient http = HttpClient.newBuilder().build();
  private final String base;
  private final String token;

  private LoadHarness(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        String k = args[i].substring(2);
        boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
        opt.put(k, flag ? "true" : args[++i]);
      }
    }
    int concurrent = Integer.parseInt(opt.getOrDefault("concurrent", "1000"));
    int runs = Integer.parseInt(opt.getOrDefault("runs", "3000"));
    boolean pg = opt.containsKey("pg");
    Path dir = Files.createTempDirectory("maestro-perf");
    Map<String, String> flags = new HashMap<>();
    flags.put("server.port", "0");
    flags.put("server.host", "127.0.0.1");
    flags.put("dataDir", dir.toString());
    flags.put("log.level", "WARN");
    flags.put("db.poolSize", opt.getOrDefault("pool", "16"));
    if (pg) {
      flags.put("db.url", opt.getOrDefault("pg-url", "jdbc:postgresql://127.0.0.1:5432/test"));
      flags.put("db.user", opt.getOrDefault("pg-user", "postgres"));
      flags.put("db.schema", "perf_" + Long.toHexString(System.nanoTime()));
    }
    MaestroConfig config = new ConfigLoader(Map.of(), dir).load(Optional.empty(), flags);
    try (MaestroServer server = MaestroServer.start(config)) {
      String base = "http://127.0.0.1:" + server.port();
      String token =
          devToken(
              base, "{\"tenant\":\"perf\",\"subject\":\"perf@perf\",\"roles\":[\"tenant_admin\"]}");
      // The baseline quotas (25 concurrent runs, 600 steps a minute) would refuse the load itself.
      String admin = devToken(base, "{\"subject\":\"perf-admin\",\"roles\":[\"conductor_admin\"]}");
      check(
          new LoadHarness(base, admin)
              .call(
                  "PATCH",
                  "/api/tenants/perf",
                  "{\"quotas\":{\"max_concurrent_runs\":1000000,\"max_steps_per_minute\":100000000,"
                      + "\"max_receipt_backlog\":100000000}}",
                  "application/json"),
          200);
      LoadHarness h = new LoadHarness(base, token);
      h.publish();
      h.warmUp();
      System.out.println(
          "backend: "
              + (pg ? "postgresql" : "h2")
              + "; cores: "
              + Runtime.getRuntime().availableProcessors());
      h.burst(concurrent);
      CommitCounter commits =
          pg ? CommitCounter.open(flags.get("db.url"), flags.get("db.user")) : null;
      long before = commits == null ? 0 : commits.settled();
      int ok = h.sustained(runs, 64);
      if (commits != null) {
        commits.report(before, ok, 3);
      }
    }
  }

  private static String devToken(String base, String request) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
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

  private void publish() throws Exception {
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

  private static void check(HttpResponse<String> r, int status) {
    if (r.statusCode() != status) {
      throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
    }
  }

  private String start() throws IOException, InterruptedException {
    HttpResponse<String> r =
        call("POST", "/api/runs", "{\"workflow\":\"three\"}", "application/json");
    if (r.statusCode() != 202) {
      throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body()).path("id").asText();
  }

  private void warmUp() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(start());
    }
    awaitAll(ids);
  }

  /** Waits until every run is terminal; returns their documents. */
  private List<JsonNode> awaitAll(List<String> ids) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    List<JsonNode> done = new ArrayList<>();
    for (String id : ids) {
      while (true) {
        JsonNode run = JSON.readTree(call("GET", "/api/runs/" + id, null, null).body());
        String s = run.path("status").asText();
        if (s.equals("SUCCEEDED")
            || s.equals("FAILED")
            || s.equals("CANCELLED")
            || s.equals("TIMED_OUT")) {
          done.add(run);
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("runs did not finish within " + DEADLINE);
        }
        Thread.sleep(50);
      }
    }
    return done;
  }

  private void burst(int n) throws Exception {
    List<String> ids = new ArrayList<>(java.util.Collections.nCopies(n, (String) null));
    AtomicInteger errors = new AtomicInteger();
    Histogram accept = new Histogram(3_600_000_000L, 3);
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int idx = i;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    ready.countDown();
                    try {
                      go.await();
                      long t0 = System.nanoTime();
                      ids.set(idx, start());
                      synchronized (accept) {
                        accept.recordValue((System.nanoTime() - t0) / 1000);
                      }
                    } catch (Exception e) {
                      if (errors.incrementAndGet() == 1) {
                        System.out.println("first error: " + e.getMessage());
                      }
                    }
                  }));
    }
    ready.await();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    List<String> started = ids.stream().filter(x -> x != null).toList();
    List<JsonNode> runs = awaitAll(started);
    Histogram startLatency = new Histogram(3_600_000_000L, 3);
    Instant first = Instant.MAX;
    Instant last = Instant.MIN;
    int failed = 0;
    for (JsonNode r : runs) {
      Instant created = Instant.parse(r.path("createdAt").asText());
      Instant firstRunning = Instant.parse(r.path("steps").get(0).path("startedAt").asText());
      Instant finished = Instant.parse(r.path("finishedAt").asText());
      startLatency.recordValue(Duration.between(created, firstRunning).toNanos() / 1000);
      first = created.isBefore(first) ? created : first;
      last = finished.isAfter(last) ? finished : last;
      if (!r.path("status").asText().equals("SUCCEEDED")) {
        failed++;
      }
    }
    if (runs.isEmpty()) {
      throw new IllegalStateException("no run started (" + errors.get() + " errors)");
    }
    double secs = Duration.between(first, last).toNanos() / 1e9;
    System.out.printf(
        "burst: %d concurrent runs, %d request errors, %d runs not succeeded%n",
        n, errors.get(), failed);
    print("  publish->start (accepted -> first step RUNNING)", startLatency);
    print("  HTTP accept (POST /api/runs -> 202)", accept);
    System.out.printf("  burst completed in %.2f s: %.0f runs/s%n", secs, runs.size() / secs);
  }

  /** Completed runs. */
  private int sustained(int n, int clients) throws Exception {
    Semaphore budget = new Semaphore(n);
    ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
    AtomicInteger errors = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (budget.tryAcquire()) {
                      try {
                        ids.add(start());
                      } catch (Exception e) {
                        errors.incrementAndGet();
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    List<JsonNode> runs = awaitAll(new ArrayList<>(ids));
    Instant first = Instant.MAX;
    Instant last = Instant.MIN;
    int ok = 0;
    for (JsonNode r : runs) {
      Instant created = Instant.parse(r.path("createdAt").asText());
      Instant finished = Instant.parse(r.path("finishedAt").asText());
      first = created.isBefore(first) ? created : first;
      last = finished.isAfter(last) ? finished : last;
      if (r.path("status").asText().equals("SUCCEEDED")) {
        ok++;
      }
    }
    double secs = Duration.between(first, last).toNanos() / 1e9;
    System.out.printf(
        "sustained: %d runs from %d clients, %d request errors, %d succeeded, %.2f s: %.0f completed 3-step runs/s%n",
        n, clients, errors.get(), ok, secs, ok / secs);
    return ok;
  }

  private static void print(String what, Histogram h) {
    System.out.printf(
        "%s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)%n",
        what,
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(95) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0,
        h.getTotalCount());
  }
}
