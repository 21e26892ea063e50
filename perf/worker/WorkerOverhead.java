import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.client.MaestroClient;
import io.maestro.client.WorkerTask;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Worker poll -> complete overhead against a real server (embedded H2, started here through
 * bin/maestro): for each of N runs of a one-step worker/bench workflow, the time of the poll that
 * leases the task, of the completion, and of the whole cycle with a handler that does nothing.
 * Run: perf/bin/worker-overhead [N] (see perf/README.md).
 */
public final class WorkerOverhead {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int warmup = Math.min(100, n / 5);
    Path data = Files.createTempDirectory("maestro-worker-bench");
    Process server =
        new ProcessBuilder(
                "bin/maestro", "server", "--port", "0", "--host", "127.0.0.1", "--data-dir",
                data.toString())
            .redirectErrorStream(true)
            .start();
    try {
      String url = awaitUrl(server);
      String admin =
          token(url, Map.of("tenant", "bench", "subject", "ada@bench", "roles",
              List.of("tenant_admin", "workflow_author", "workflow_reviewer", "operator")));
      String worker =
          token(url, Map.of("tenant", "bench", "subject", "svc-bench", "roles", List.of("worker"),
              "attributes", Map.of("worker_queues", "bench")));
      String yaml =
          "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: wbench, version: \"1\"}\n"
              + "spec:\n  tasks:\n    - {id: w, uses: worker/bench, with: {input: {x: 1}}}\n";
      check(send(url, "PUT", "/api/workflows/wbench/versions/1", admin, "application/yaml", yaml));
      check(send(url, "POST", "/api/workflows/wbench/versions/1/publish", admin, null, ""));
      MaestroClient ops = MaestroClient.of(url, admin);
      MaestroClient w = MaestroClient.of(url, worker);
      long[] poll = new long[n];
      long[] complete = new long[n];
      long[] cycle = new long[n];
      for (int i = -warmup; i < n; i++) {
        ops.startRun("wbench", Map.of());
        long t0 = System.nanoTime();
        List<WorkerTask> got = w.poll("bench-1", List.of("bench"), 1, Duration.ofSeconds(10));
        long t1 = System.nanoTime();
        if (got.size() != 1) {
          throw new IllegalStateException("poll returned " + got.size() + " tasks");
        }
        w.complete(got.get(0).taskId(), "bench-1", Map.of("ok", true));
        long t2 = System.nanoTime();
        if (i >= 0) {
          poll[i] = t1 - t0;
          complete[i] = t2 - t1;
          cycle[i] = t2 - t0;
        }
      }
      System.out.printf("runs measured: %d (after %d warm-up), embedded H2, one worker%n", n, warmup);
      report("poll (task leased)", poll);
      report("complete", complete);
      report("poll -> complete", cycle);
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  static void report(String what, long[] ns) {
    long[] s = ns.clone();
    Arrays.sort(s);
    System.out.printf(
        "%-20s p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms%n",
        what, s[s.length / 2] / 1e6, s[(int) Math.ceil(s.length * 0.99) - 1] / 1e6,
        s[s.length - 1] / 1e6);
  }

  static String awaitUrl(Process p) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
    Pattern listening = Pattern.compile("listening on (http://[^ ]+)");
    String line;
    while ((line = r.readLine()) != null) {
      Matcher m = listening.matcher(line);
      if (m.find()) {
        Thread.ofVirtual().start(() -> r.lines().forEach(l -> {}));
        return m.group(1);
      }
    }
    throw new IllegalStateException("the server did not start");
  }

  static String token(String url, Map<String, Object> req) throws Exception {
    HttpResponse<String> r =
        send(url, "POST", "/api/dev/token", null, "application/json", JSON.writeValueAsString(req));
    check(r);
    return JSON.readTree(r.body()).path("token").asText();
  }

  static HttpResponse<String> send(
      String url, String method, String path, String token, String type, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (type != null) {
      b.header("Content-Type", type);
    }
    return HTTP.send(
        b.method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void check(HttpResponse<String> r) {
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
  }
}
