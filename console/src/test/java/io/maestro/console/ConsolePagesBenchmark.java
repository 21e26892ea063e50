package io.maestro.console;

import io.maestro.server.http.ServerTiming;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server time of the console's core views with many runs in one tenant: the runs list (first page,
 * 50 rows), a run's detail (steps, logs, decision, receipts with proofs checked), the receipts
 * search and a run's receipts. Per page it reports the server's own time ({@code Server-Timing:
 * app}: from the request read to the response handed to the connection, the console's calls to the
 * API included), the API calls' server time summed ({@code api}), the latency one loopback client
 * sees, and the process's CPU per page. Not a test: run it by hand (see console/README.md).
 *
 * <p>Arguments: runs to start (default 10000), measured requests per view (default 200), the
 * seeding cap in minutes (default 12), seeding threads (default 4).
 */
public final class ConsolePagesBenchmark {
  private ConsolePagesBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int minutes = args.length > 2 ? Integer.parseInt(args[2]) : 12;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    // A data directory to keep: seeded once, measured again after each change (same runs).
    Path dir = args.length > 4 ? Path.of(args[4]) : Files.createTempDirectory("console-bench");
    Files.createDirectories(dir);
    Path seeded = dir.resolve("bench-runs.txt");
    try (ConsoleServer server = ConsoleServer.start(dir)) {
      if (Files.exists(seeded)) {
        List<String> kept = Files.readAllLines(seeded);
        System.out.printf("reusing %d seeded runs in %s%n", kept.size(), dir);
        measure(server, kept, requests);
        return;
      }
      String admin = server.token("bench", "tenant_admin");
      // Runs an interrupted seeding left in the directory count (read back through the API).
      List<String> ids = Collections.synchronizedList(new ArrayList<>(existing(server, admin)));
      if (ids.isEmpty()) {
        String platform = server.token(null, "conductor_admin");
        server.call(
            "PATCH",
            "/api/tenants/bench",
            platform,
            "{\"quotas\":{\"max_concurrent_runs\":1000000,\"max_steps_per_minute\":1000000,"
                + "\"max_receipt_backlog\":1000000},\"budget\":{\"daily_max_usd\":1000000}}",
            "application/json");
        ids.add(server.publishAndRun(admin, "gated", ConsoleServer.APPROVAL));
      }
      System.out.printf("%d runs already there%n", ids.size());
      long seedStart = System.nanoTime();
      java.util.concurrent.atomic.AtomicInteger retries =
          new java.util.concurrent.atomic.AtomicInteger();
      long deadline = seedStart + Duration.ofMinutes(minutes).toNanos();
      try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
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
                      if (ids.size() % 100 == 0) {
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
          "seeded %d runs in %.1f s (%d retries)%n",
          ids.size(), (System.nanoTime() - seedStart) / 1e9, retries.get());
      int cloned = cloneRuns(server, ids, runs - ids.size());
      Files.write(seeded, ids);
      System.out.printf(
          "%d runs started through the API, %d more cloned in SQL: %d in tenant bench%n",
          ids.size(), cloned, ids.size() + cloned);
      measure(server, ids, requests);
    }
  }

  /** The tenant's run ids as the API lists them (newest first). */
  private static List<String> existing(ConsoleServer server, String token) {
    List<String> out = new ArrayList<>();
    String cursor = "";
    while (true) {
      var page =
          server.call(
              "GET",
              "/api/runs?limit=200" + (cursor.isEmpty() ? "" : "&cursor=" + cursor),
              token,
              null,
              null);
      page.path("items").forEach(r -> out.add(r.path("id").asText()));
      if (!page.hasNonNull("nextCursor")) {
        return out;
      }
      cursor = page.path("nextCursor").asText();
    }
  }

  /**
   * Starting runs through the API on this shared machine manages a few per second, so the rest of
   * the 10,000 are copies of the started runs' rows (run and steps, parked at the approval) under
   * ids that sort older: the lists, filters and counts then see 10,000 runs, while run details are
   * measured on the runs the API started, which have their receipts and logs.
   */
  private static int cloneRuns(ConsoleServer server, List<String> templates, int count)
      throws Exception {
    if (count <= 0) {
      return 0;
    }
    var db = server.server.database();
    int done = 0;
    while (done < count) {
      int batch = Math.min(500, count - done);
      int from = done;
      db.inTransaction(
          io.maestro.store.TenantScope.of(io.maestro.core.TenantId.of("bench")),
          tx -> {
            for (int i = 0; i < batch; i++) {
              String template = templates.get((from + i) % templates.size());
              String id = String.format("run_00clone%020d", from + i);
              copy(tx.connection(), "engine_runs", template, id);
              copy(tx.connection(), "engine_steps", template, id);
            }
            return null;
          });
      done += batch;
    }
    return done;
  }

  private static final java.util.Map<String, List<String>> COLUMNS = new java.util.HashMap<>();

  /** Copies {@code table}'s rows of run {@code from} as run {@code to}. */
  private static void copy(java.sql.Connection c, String table, String from, String to) {
    try {
      List<String> columns = COLUMNS.get(table);
      if (columns == null) {
        columns = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT * FROM " + table + " WHERE 1 = 0");
            var rs = ps.executeQuery()) {
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            columns.add(rs.getMetaData().getColumnName(i));
          }
        }
        COLUMNS.put(table, columns);
      }
      String list = String.join(", ", columns);
      String select =
          String.join(
              ", ", columns.stream().map(x -> x.equalsIgnoreCase("run_id") ? "?" : x).toList());
      try (var ps =
          c.prepareStatement(
              "INSERT INTO "
                  + table
                  + " ("
                  + list
                  + ") SELECT "
                  + select
                  + " FROM "
                  + table
                  + " WHERE tenant_id = 'bench' AND run_id = ?")) {
        ps.setString(1, to);
        ps.setString(2, from);
        ps.executeUpdate();
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot copy " + table + " of " + from, e);
    }
  }

  private static void measure(ConsoleServer server, List<String> ids, int requests) {
    {
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
      report("receipts search", server, cookie, requests, () -> "/console/receipts");
      report(
          "receipts of a run",
          server,
          cookie,
          requests,
          () -> "/console/receipts?run=" + ids.get(random.nextInt(ids.size())));
      byRoute(server);
    }
  }

  private static final Pattern SERIES =
      Pattern.compile(
          "http_server_requests_seconds_(sum|count)\\{[^}]*method=\"GET\"[^}]*uri=\"(/api/[^\"]*)\"[^}]*} ([0-9.eE+-]+)");

  /**
   * The API routes' mean server time over the whole run (warm-ups and all four views), from the
   * server's {@code http_server_requests_seconds}: which of a page's calls costs what.
   */
  private static void byRoute(ConsoleServer server) {
    String text = server.page("GET", "/metrics", null, null).body();
    java.util.Map<String, double[]> routes = new java.util.TreeMap<>();
    Matcher m = SERIES.matcher(text);
    while (m.find()) {
      double[] sc = routes.computeIfAbsent(m.group(2), k -> new double[2]);
      sc[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
    }
    routes.forEach(
        (route, sc) -> {
          if (sc[1] >= 100) {
            System.out.printf(
                "  GET %-40s n=%6.0f mean=%.1f ms%n", route, sc[1], sc[0] / sc[1] * 1e3);
          }
        });
  }

  private static void report(
      String name,
      ConsoleServer server,
      String cookie,
      int n,
      java.util.function.Supplier<String> path) {
    for (int i = 0; i < Math.max(20, n / 5); i++) {
      fetch(server, path.get(), cookie);
    }
    long[] nanos = new long[n];
    long[] took = new long[n];
    long[] api = new long[n];
    long apiCalls = 0;
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      String timing = fetch(server, path.get(), cookie);
      nanos[i] = System.nanoTime() - t;
      if (timing == null) {
        throw new IllegalStateException(name + ": no Server-Timing");
      }
      took[i] = ServerTiming.appNanos(timing).orElseThrow();
      Matcher m = API.matcher(timing);
      if (m.find()) {
        api[i] = Math.round(Double.parseDouble(m.group(1)) * 1e6);
        apiCalls += Long.parseLong(m.group(2));
      }
    }
    // CPU the whole process (server and this client) spent per page: what a page costs on an
    // otherwise idle core, whatever else the machine runs.
    long cpuPerPage = (os.getProcessCpuTime() - cpuBefore) / n;
    System.out.printf(
        "%-18s n=%d server p50/p95/p99=%s (API calls %.1f/page, their server time summed"
            + " p50/p95/p99=%s) client p50/p95/p99=%s cpu/page=%s ms (load average %s)%n",
        name,
        n,
        percentiles(took),
        (double) apiCalls / n,
        percentiles(api),
        percentiles(nanos),
        ms(cpuPerPage),
        loadAverage());
  }

  /**
   * GETs a page as a browser does, on this thread with blocking I/O on a kept-alive connection (the
   * asynchronous JDK client would add its threads' hand-offs to the client's latency), reads it
   * whole and returns its {@code Server-Timing}.
   */
  private static String fetch(ConsoleServer server, String path, String cookie) {
    try {
      var c =
          (java.net.HttpURLConnection)
              java.net
                  .URI
                  .create(server.base + path)
                  .toURL()
                  .openConnection(java.net.Proxy.NO_PROXY);
      c.setInstanceFollowRedirects(false);
      c.setRequestProperty("Cookie", cookie);
      int status = c.getResponseCode();
      try (var in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        in.readAllBytes();
      }
      if (status != 200) {
        throw new IllegalStateException(path + ": HTTP " + status);
      }
      return c.getHeaderField("Server-Timing");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The page's API calls as the console reports them: their server time summed, and how many. */
  private static final Pattern API =
      Pattern.compile("(?:^|,)\\s*api;dur=([0-9.]+);desc=\"([0-9]+)\"");

  private static String percentiles(long[] values) {
    long[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return ms(v[n / 2]) + " / " + ms(v[(int) (n * 0.95)]) + " / " + ms(v[(int) (n * 0.99)]) + " ms";
  }

  /** The 1-, 5- and 15-minute load averages, as the figures depend on what else runs. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static String ms(long nanos) {
    return String.format("%.1f", nanos / 1e6);
  }
}
