package io.maestro.server.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.maestro.provenance.packages.WorkflowPackage;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.server.http.HttpJson;
import io.maestro.server.schedule.ScheduleFixtures;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every golden workflow under {@code examples/golden/} end to end on a real server: the directory
 * is packaged and published through {@code POST /api/workflows/packages}, the run is started (or
 * its schedule's tick fired), driven as its {@code expected.json} says — an approval by a reviewer,
 * an external worker's computation, a served HTTP endpoint — and its outcome compared.
 */
class GoldenWorkflowsTest {
  static final Path GOLDEN = locate();
  static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

  @TempDir static Path dir;
  static MaestroServer server;
  static HttpServer health;
  static Api api;
  static String author;
  static String operator;
  static String reviewer;
  static String worker;

  static Path locate() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("examples/golden"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("examples/golden not found above the working directory");
    }
    return p.resolve("examples/golden");
  }

  @BeforeAll
  static void start() throws Exception {
    health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    health.createContext(
        "/health",
        x -> {
          byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(200, ok.length);
          x.getResponseBody().write(ok);
          x.close();
        });
    health.start();
    server =
        MaestroServer.start(
            TestServers.config(
                dir,
                Map.of(
                    "engine.http.allowedHosts", "127.0.0.1",
                    "schedules.pollSeconds", "0")));
    api = new Api(server.port());
    author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
    operator = api.token("acme", "olga@acme", "operator");
    reviewer = api.token("acme", "rita@acme", "workflow_reviewer");
    Api.Reply w =
        api.call(
            "POST",
            "/api/dev/token",
            null,
            Map.of(
                "tenant",
                "acme",
                "subject",
                "svc-golden",
                "roles",
                List.of("worker"),
                "attributes",
                Map.of("worker_queues", "golden-billing")));
    worker = w.body().path("token").asText();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (health != null) {
      health.stop(0);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyGoldenWorkflow_runsToItsExpectedOutcome() throws Exception {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(GOLDEN)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(dirs).hasSizeGreaterThanOrEqualTo(6);
    return dirs.stream()
        .map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> runGolden(d)));
  }

  static void runGolden(Path d) throws Exception {
    assertThat(d.resolve("README.md")).exists();
    JsonNode expected = HttpJson.MAPPER.readTree(Files.readString(d.resolve("expected.json")));
    Api.Reply published =
        api.call(
            "POST",
            "/api/workflows/packages",
            author,
            WorkflowPackage.of(d).toBytes(),
            Map.of("Content-Type", "application/gzip"));
    assertThat(published.status()).as(published.body().toString()).isEqualTo(200);

    String workflow = expected.path("workflow").asText();
    JsonNode drive = expected.path("drive");
    String runId;
    if (drive.has("schedule")) {
      String schedule = drive.path("schedule").asText();
      ScheduleFixtures.makeDue(server, "acme", schedule);
      var fired =
          ScheduleFixtures.scheduler(server).pass().stream()
              .filter(f -> f.schedule().equals(schedule))
              .toList();
      assertThat(fired).singleElement();
      runId = latestRun(workflow);
    } else {
      String inputs =
          expected
              .path("inputs")
              .toString()
              .replace("${HTTP_BASE}", "http://127.0.0.1:" + health.getAddress().getPort());
      Api.Reply started =
          api.call(
              "POST",
              "/api/runs",
              operator,
              Map.of("workflow", workflow, "inputs", HttpJson.MAPPER.readTree(inputs)));
      assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
      runId = started.body().path("id").asText();
    }
    if (drive.has("approve")) {
      String step = drive.path("approve").asText();
      await(runId, r -> stepStatus(r, step).equals("WAITING"));
      Api.Reply ok =
          api.call(
              "POST", "/api/runs/" + runId + "/steps/" + step + "/approve", reviewer, Map.of());
      assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
    }
    if (drive.has("worker")) {
      completeOneTask(drive.path("worker").asText(), runId);
    }
    JsonNode run = await(runId, r -> TERMINAL.contains(r.path("status").asText()));
    assertThat(run.path("status").asText())
        .as(run.toString())
        .isEqualTo(expected.path("status").asText());
    if (expected.has("trigger")) {
      assertThat(run.path("trigger").asText()).isEqualTo(expected.path("trigger").asText());
    }
    expected
        .path("steps")
        .properties()
        .forEach(
            e ->
                assertThat(stepStatus(run, e.getKey()))
                    .as(e.getKey())
                    .isEqualTo(e.getValue().asText()));
    expected
        .path("outputs")
        .properties()
        .forEach(
            e -> {
              JsonNode outputs = step(run, e.getKey()).path("outputs");
              e.getValue()
                  .properties()
                  .forEach(
                      o ->
                          assertThat(outputs.path(o.getKey()).asDouble())
                              .as(e.getKey() + ".outputs." + o.getKey())
                              .isEqualTo(o.getValue().asDouble()));
            });
  }

  /** The external worker: polls the queue, sums {@code input.lines} and completes with it. */
  static void completeOneTask(String queue, String runId) {
    Api.Reply polled =
        api.call(
            "POST",
            "/api/worker/poll",
            worker,
            Map.of("worker", "golden-1", "queues", List.of(queue), "wait_seconds", 20));
    assertThat(polled.status()).as(polled.body().toString()).isEqualTo(200);
    JsonNode task = polled.body().path("tasks").get(0);
    assertThat(task.path("run_id").asText()).isEqualTo(runId);
    double total = 0;
    for (JsonNode line : task.path("input").path("lines")) {
      total += line.asDouble();
    }
    Api.Reply done =
        api.call(
            "POST",
            "/api/worker/tasks/" + task.path("task_id").asText() + "/complete",
            worker,
            Map.of("worker", "golden-1", "outputs", Map.of("total", total)));
    assertThat(done.status()).as(done.body().toString()).isEqualTo(200);
  }

  static String latestRun(String workflow) {
    JsonNode items =
        api.call("GET", "/api/runs?workflow=" + workflow, operator, null).body().path("items");
    assertThat(items.size()).isPositive();
    return items.get(0).path("id").asText();
  }

  static JsonNode step(JsonNode run, String id) {
    for (JsonNode s : run.path("steps")) {
      if (s.path("id").asText().equals(id)) {
        return s;
      }
    }
    return HttpJson.MAPPER.createObjectNode();
  }

  static String stepStatus(JsonNode run, String id) {
    return step(run, id).path("status").asText("");
  }

  static JsonNode await(String runId, java.util.function.Predicate<JsonNode> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode r = api.call("GET", "/api/runs/" + runId, operator, null).body();
      if (done.test(r)) {
        return r;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("run " + runId + " did not get there in 30 s: " + r);
      }
      Thread.sleep(100);
    }
  }
}
