package io.maestro.console;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Server time of the console's core views with many runs in one tenant: the runs list (first page,
 * 50 rows) and a run's detail (steps, logs, decision, receipts with proofs checked), each measured
 * as the latency of one loopback client, which includes the console's own calls to the API. Not a
 * test: run it by hand (see console/README.md), on an otherwise idle machine.
 *
 * <p>Arguments: runs to start (default 10000; seeding stops after 12 minutes), measured requests
 * per view (default 200).
 */
public final class ConsolePagesBenchmark {
  private ConsolePagesBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path dir = Files.createTempDirectory("console-bench");
    try (ConsoleServer server = ConsoleServer.start(dir)) {
      String admin = server.token("bench", "tenant_admin");
      String platform = server.token(null, "conductor_admin");
      server.call(
          "PATCH",
          "/api/tenants/bench",
          platform,
          "{\"quotas\":{\"max_concurrent_runs\":1000000,\"max_steps_per_minute\":1000000,"
              + "\"max_receipt_backlog\":1000000},\"budget\":{\"daily_max_usd\":1000000}}",
          "application/json");
      String first = server.publishAndRun(admin, "gated", ConsoleServer.APPROVAL);
      List<String> ids = Collections.synchronizedList(new ArrayList<>(List.of(first)));
      long seedStart = System.nanoTime();
      java.util.concurrent.atomic.AtomicInteger retries =
          new java.util.concurrent.atomic.AtomicInteger();
      long deadline = seedStart + Duration.ofMinutes(12).toNanos();
      try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          done.add(
              pool.submit(
                  () -> {
                    while (ids.size() < runs && System.nanoTime() < deadline) {
                      try {
                        ids.add(
                            server
                                .call(
                                    "POST",
                                    "/api/runs",
                                    admin,
                                    "{\"workflow\":\"gated\"}",
                                    "application/json")
                                .path("id")
                                .asText());
                      } catch (AssertionError e) {
                        // a 503 from the database under load: the start did not happen; retry
                        retries.incrementAndGet();
                      }
                      if (ids.size() % 1000 == 0) {
                        System.out.printf("%d runs%n", ids.size());
                      }
                    }
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      }
      System.out.printf(
          "seeded %d runs in %.1f s%n", ids.size(), (System.nanoTime() - seedStart) / 1e9);

      HttpResponse<String> signIn =
          server.page("POST", "/console/signin", null, "mode=dev&tenant=bench&role=tenant_admin");
      String set = signIn.headers().firstValue("Set-Cookie").orElseThrow();
      String cookie = set.substring(0, set.indexOf(';'));
      Random random = new Random(42);
      report("runs list", server, cookie, requests, () -> "/console/runs");
      report(
          "run detail",
          server,
          cookie,
          requests,
          () -> "/console/runs/" + ids.get(random.nextInt(ids.size())));
    }
  }

  private static void report(
      String name,
      ConsoleServer server,
      String cookie,
      int n,
      java.util.function.Supplier<String> path) {
    for (int i = 0; i < Math.max(20, n / 5); i++) {
      server.page("GET", path.get(), cookie, null);
    }
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      HttpResponse<String> res = server.page("GET", path.get(), cookie, null);
      nanos[i] = System.nanoTime() - t;
      if (res.statusCode() != 200) {
        throw new IllegalStateException(name + ": HTTP " + res.statusCode());
      }
    }
    java.util.Arrays.sort(nanos);
    System.out.printf(
        "%-10s n=%d p50=%s p95=%s p99=%s%n",
        name, n, ms(nanos[n / 2]), ms(nanos[(int) (n * 0.95)]), ms(nanos[(int) (n * 0.99)]));
  }

  private static String ms(long nanos) {
    return String.format("%.1f ms", Duration.ofNanos(nanos).toNanos() / 1e6);
  }
}
