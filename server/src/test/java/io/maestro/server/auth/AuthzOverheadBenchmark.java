package io.maestro.server.auth;

import io.helidon.webserver.WebServer;
import io.maestro.core.Ids;
import io.maestro.provenance.Receipts;
import io.maestro.server.Governance;
import io.maestro.server.TestServers;
import io.maestro.server.http.ApiRouter;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.Route;
import io.maestro.server.metrics.MetricsService;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Authorization overhead per request, through HTTP: the same no-op handler served public and behind
 * the policy gate (authentication, input building, decision, decision-log record), called
 * alternately by one keep-alive client; the difference of the latency percentiles is what the gate
 * costs. A third series sends a never-seen token on every request (signature verification each
 * time). Not a test: run it by hand (see tenancy/README.md), on an otherwise idle machine.
 *
 * <p>Arguments: measured requests per series (default 20000).
 */
public final class AuthzOverheadBenchmark {
  private AuthzOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Path dir = Files.createTempDirectory("authz-bench");
    try (TestDatabase tdb = Backend.H2.open()) {
      Clock clock = Clock.systemUTC();
      Receipts receipts =
          new Receipts(
              new Ids(clock, new SplittableRandom(1)), clock, Receipts.AppendListener.NONE);
      Governance g =
          TestServers.governance(
              TestServers.config(dir, Map.of("log.level", "WARN")),
              tdb.database(),
              receipts,
              new io.maestro.provenance.ReceiptLog("maestro.test"),
              clock,
              new SplittableRandom(2));
      ApiService bench =
          () ->
              List.of(
                  Route.get("/bench/public", "public", (req, res) -> res.send("ok")),
                  Route.get("/bench/governed", "profile.read", (req, res) -> res.send("ok")));
      List<ApiService> services = new ArrayList<>(TestServers.tenancyServices(g));
      services.add(bench);
      ApiRouter router = new ApiRouter(services, g.guard());
      MetricsService metrics = new MetricsService();
      WebServer web =
          WebServer.builder()
              .host("127.0.0.1")
              .port(0)
              .shutdownHook(false)
              .routing(r -> router.configure(r, metrics, 1 << 20))
              .build()
              .start();
      try {
        Api api = new Api(web.port());
        String token = api.token("bench", "ops@bench", "operator");
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < Math.min(n, 5000); i++) {
          fresh.add(api.token("bench", "ops" + i + "@bench", "operator"));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + web.port();
        HttpRequest pub = HttpRequest.newBuilder(URI.create(base + "/bench/public")).build();
        HttpRequest gov =
            HttpRequest.newBuilder(URI.create(base + "/bench/governed"))
                .header("Authorization", "Bearer " + token)
                .build();
        for (int i = 0; i < 5000; i++) { // warm-up: JIT, pools, caches
          send(http, pub);
          send(http, gov);
        }
        long[] tPub = new long[n];
        long[] tGov = new long[n];
        for (int i = 0; i < n; i++) {
          tPub[i] = send(http, pub);
          tGov[i] = send(http, gov);
        }
        long[] tFresh = new long[fresh.size()];
        for (int i = 0; i < fresh.size(); i++) {
          tFresh[i] =
              send(
                  http,
                  HttpRequest.newBuilder(URI.create(base + "/bench/governed"))
                      .header("Authorization", "Bearer " + fresh.get(i))
                      .build());
        }
        System.out.printf(
            "machine: %d cpus, %s %s, Java %s%n",
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.name"),
            System.getProperty("os.arch"),
            Runtime.version());
        report("public no-op", tPub);
        report("governed no-op, same token", tGov);
        report("governed no-op, new token each", tFresh);
        System.out.printf(
            "authz overhead (governed - public): p50 %.3f ms, p95 %.3f ms, p99 %.3f ms%n",
            (pct(tGov, 50) - pct(tPub, 50)) / 1e6,
            (pct(tGov, 95) - pct(tPub, 95)) / 1e6,
            (pct(tGov, 99) - pct(tPub, 99)) / 1e6);
      } finally {
        web.stop();
        metrics.close();
      }
    }
  }

  private static long send(HttpClient http, HttpRequest req) throws Exception {
    long t = System.nanoTime();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    long d = System.nanoTime() - t;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(req.uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return d;
  }

  private static double pct(long[] sorted, double p) {
    long[] s = sorted.clone();
    Arrays.sort(s);
    int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, i))];
  }

  private static void report(String name, long[] t) {
    System.out.printf(
        "%-32s n=%6d  p50 %.3f ms  p95 %.3f ms  p99 %.3f ms%n",
        name, t.length, pct(t, 50) / 1e6, pct(t, 95) / 1e6, pct(t, 99) / 1e6);
  }
}
