import io.maestro.core.TenantId;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.server.engine.EngineService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@link WalkTarget} for the tree at commit {@code 01a0ac4} (2026-11-22), whose {@code MaestroServer}
 * has no {@code service(Class)} accessor yet and whose test {@code Api} sends a {@code String} body
 * as is but writes any other object (a {@code byte[]} too) as JSON. Two differences follow: the
 * manifest goes to {@code PUT /api/workflows/walk/versions/1} as a {@code String}, and the target
 * reaches the engine to wait for the run in-process by taking the {@code EngineService} out of the
 * server's started components by reflection (still on the main thread, which the tracer leaves
 * out). Same manifest, tokens, requests, warm-up and wait. Run: {@code java
 * -Dwalk.target=perf/walk/WalkTargetOld01.java perf/walk/ClassWalk.java <that tree's server
 * classpath> [output-file]}.
 *
 * <p>The program {@code ClassWalk} traces: a real server on embedded H2 (the server tests' {@code
 * TestServers}), a published one-step {@code core/log} workflow and one warm-up run. Then, on the
 * tracer's word, the measured {@code POST /api/runs}; it waits in-process (on the main thread, which
 * the tracer leaves out) until the run has its outcome, says so, and on the next word stops.
 */
public final class WalkTargetOld01 {
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
              MANIFEST, // this Api sends a String as is (a byte[] would become base64 JSON)
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
    var runs = engineService(server).engine().runs();
    for (int i = 0; i < 6000; i++) {
      var run = runs.get(TenantId.of("acme"), runId).orElseThrow();
      if (run.status().terminal()) {
        return run.status().name();
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("run " + runId + " did not end within 60 s");
  }

  /** The started {@code EngineService}, from the server's private list of components. */
  private static EngineService engineService(MaestroServer server) {
    try {
      Field components = MaestroServer.class.getDeclaredField("components");
      components.setAccessible(true);
      for (Object c : (List<?>) components.get(server)) {
        if (c instanceof EngineService e) {
          return e;
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no EngineService among the server's components");
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
