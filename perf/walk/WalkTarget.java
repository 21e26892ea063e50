import io.maestro.core.TenantId;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.server.engine.EngineService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The program {@code ClassWalk} traces: a real server on embedded H2 (the server tests' {@code
 * TestServers}), a published one-step {@code core/log} workflow and one warm-up run. Then, on the
 * tracer's word, the measured {@code POST /api/runs}; it waits in-process (on the main thread, which
 * the tracer leaves out) until the run has its outcome, says so, and on the next word stops.
 */
public final class WalkTarget {
  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: walk, version: "1"}
      spec:
        tasks:
          - {id: hi, uses: core/log, with: {message: "hi"}}
      """;

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Path dir = Files.createTempDirectory("maestro-class-walk");
    try (MaestroServer server = TestServers.start(dir)) {
      Api api = new Api(server.port());
      String author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
      String operator = api.token("acme", "olga@acme", "operator");
      Api.Reply put =
          api.call(
              "PUT",
              "/api/workflows/walk/versions/1",
              author,
              MANIFEST.getBytes(StandardCharsets.UTF_8),
              Map.of("Content-Type", "application/yaml"));
      require(put.status() == 201, "saving the workflow: " + put.body());
      Api.Reply pub = api.call("POST", "/api/workflows/walk/versions/1/publish", author, null);
      require(pub.status() == 200, "publishing: " + pub.body());
      String warm = start(api, operator);
      require("SUCCEEDED".equals(await(server, warm)), "the warm-up run did not succeed");

      System.out.println("READY");
      in.readLine();
      String run = start(api, operator);
      String status = await(server, run);
      System.out.println("DONE " + run + " " + status);
      in.readLine();
    }
  }

  private static String start(Api api, String token) {
    Api.Reply r = api.call("POST", "/api/runs", token, Map.of("workflow", "walk"));
    require(r.status() == 202, "starting a run: " + r.body());
    return r.body().path("id").asText();
  }

  /** The run's status once it has ended (at most 60 s), read in-process, not over HTTP. */
  private static String await(MaestroServer server, String runId) throws InterruptedException {
    var runs = server.service(EngineService.class).orElseThrow().engine().runs();
    for (int i = 0; i < 6000; i++) {
      var run = runs.get(TenantId.of("acme"), runId).orElseThrow();
      if (run.status().terminal()) {
        return run.status().name();
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("run " + runId + " did not end within 60 s");
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
