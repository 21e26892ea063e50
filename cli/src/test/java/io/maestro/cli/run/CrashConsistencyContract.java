package io.maestro.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.cli.CliRunner;
import io.maestro.provenance.ConsistencyProof;
import io.maestro.provenance.Hash;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the real server ({@code bin/maestro server}) with SIGKILL at random points while clients
 * start runs and read receipts and checkpoints, restarts it on the same database, and checks after
 * every restart that nothing acknowledged was lost:
 *
 * <ul>
 *   <li>every run answered 2xx is still there;
 *   <li>every receipt served is still there, with the same sequence number;
 *   <li>every checkpoint ever served is consistent with the log after the restart (an RFC 9162
 *       consistency proof from the server verifies against the served root) — the log never forks;
 *   <li>the server starts at all (a database behind a signed checkpoint stops it with {@code
 *       log_rollback_detected}).
 * </ul>
 *
 * Regression test for lost acknowledged writes and a forked signed log on the embedded database.
 * The iteration count per backend is {@code -Dmaestro.crash.iterations} (default 25); the random
 * kill points come from {@code -Dmaestro.crash.seed} (printed, to replay a failure).
 */
abstract class CrashConsistencyContract {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TENANT = "crashy";

  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Command-line arguments that select the database, after {@code server}. */
  abstract List<String> databaseArgs();

  /** Environment for the server process (database user, schema). */
  abstract Map<String, String> env();

  void cleanUp() throws Exception {}

  record Reply(int status, JsonNode body) {}

  Reply send(String base, String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      String type = body.startsWith("{") ? "application/json" : "application/yaml";
      b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode parsed =
          r.body().isBlank() || !r.body().startsWith("{")
              ? JSON.createObjectNode()
              : JSON.readTree(r.body());
      return new Reply(r.statusCode(), parsed);
    } catch (Exception e) {
      return new Reply(
          -1, JSON.createObjectNode()); // the server died mid-request: not acknowledged
    }
  }

  JsonNode ok(String base, String method, String path, String token, String body) {
    Reply r = send(base, method, path, token, body);
    assertThat(r.status()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return r.body();
  }

  CliRunner.Running start() throws Exception {
    List<String> args =
        new ArrayList<>(List.of("server", "--dev", "--port", "0", "--host", "127.0.0.1"));
    args.addAll(List.of("--data-dir", dir.resolve("data").toString()));
    args.addAll(databaseArgs());
    Map<String, String> env = new java.util.HashMap<>(env());
    // Checkpoints often, so that kills land between signing, storing and serving them.
    env.put("MAESTRO_PROVENANCE_CHECKPOINT_INTERVAL_MILLIS", "200");
    env.put("MAESTRO_PROVENANCE_CHECKPOINT_EVERY_RECEIPTS", "25");
    return CliRunner.start(
        dir, env, "listening on", Duration.ofSeconds(180), args.toArray(String[]::new));
  }

  static String url(CliRunner.Running s) {
    return RunCommandIT.url(s);
  }

  /** What clients were told, across every incarnation of the server. */
  final Map<String, Ack> acknowledgedRuns = new ConcurrentHashMap<>();

  /** When a run was acknowledged: the incarnation that answered, and the order of its answer. */
  record Ack(int incarnation, long order) {}

  private final AtomicLong acks = new AtomicLong();
  private volatile int incarnation;

  /** Runs answered 2xx that a later incarnation did not find (filled before the test fails). */
  final Map<String, Ack> lostRuns = new ConcurrentSkipListMap<>();

  /**
   * A connection to the database of a failed run, copied to {@code kept} (the data directory's
   * copy) after the server was killed, to look up lost runs without the server.
   */
  abstract Connection inspect(Path kept) throws Exception;

  final Map<String, Long> servedReceipts = new ConcurrentHashMap<>();
  final Map<Long, String> servedCheckpoints = new ConcurrentSkipListMap<>(); // size -> root
  final List<String> splitViews = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Test
  void sigkillAtRandomPoints_losesNothingAcknowledged_andNeverForksTheLog() throws Exception {
    int iterations = Integer.getInteger("maestro.crash.iterations", 25);
    long seed = Long.getLong("maestro.crash.seed", System.nanoTime());
    System.out.println(
        getClass().getSimpleName() + ": seed " + seed + ", " + iterations + " kills");
    Random random = new Random(seed);
    try {
      String token = null;
      for (int i = 0; i <= iterations; i++) {
        incarnation = i;
        CliRunner.Running server = start();
        try {
          String base = url(server);
          if (token == null) {
            token = prepare(base);
          }
          verifyNothingLost(base, token, i);
          if (i == iterations) {
            break; // the last start only checks
          }
          load(base, token, server, Duration.ofMillis(300 + random.nextInt(2200)));
        } catch (AssertionError | RuntimeException e) {
          Path kept = printServerOutput(server, i);
          if (!lostRuns.isEmpty()) {
            // In the failure's message: CI shows the message, not always the output.
            throw new AssertionError(e.getMessage() + "\n" + lostRunsInTheDatabase(kept), e);
          }
          throw e;
        } finally {
          server.process().destroyForcibly();
          server.process().waitFor(30, TimeUnit.SECONDS);
        }
      }
      System.out.println(
          getClass().getSimpleName()
              + ": "
              + iterations
              + " kills; acknowledged "
              + acknowledgedRuns.size()
              + " runs, "
              + servedReceipts.size()
              + " receipts, "
              + servedCheckpoints.size()
              + " checkpoints; none lost");
    } finally {
      cleanUp();
    }
  }

  /**
   * The failing incarnation's output, so that a failure in CI says what the server saw; returns
   * where the data directory was kept.
   */
  private Path printServerOutput(CliRunner.Running server, int restart) {
    server.process().destroyForcibly();
    try {
      server.process().waitFor(30, TimeUnit.SECONDS);
      System.out.println("--- server stdout (start " + restart + ") ---");
      synchronized (server.stdout()) {
        server.stdout().forEach(System.out::println);
      }
      System.out.println("--- server stderr (start " + restart + ") ---");
      System.out.println(java.nio.file.Files.readString(server.stderr()));
    } catch (Exception e) {
      System.out.println("server output unavailable: " + e);
    }
    // The database and every incarnation's stderr, for a post-mortem (target/ survives the run).
    Path keep = Path.of("target", "crash-" + getClass().getSimpleName() + "-" + restart);
    try (var files = java.nio.file.Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = keep.resolve(dir.relativize(f).toString());
        if (java.nio.file.Files.isDirectory(f)) {
          java.nio.file.Files.createDirectories(to);
        } else {
          java.nio.file.Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      System.out.println("kept the data directory and logs in " + keep.toAbsolutePath());
    } catch (Exception e) {
      System.out.println("cannot keep the data directory: " + e);
    }
    return keep;
  }

  /**
   * Where each lost run is in the database: found by its key (what the API reads), found by a scan
   * of the table's rows (so an index that lost its entry shows), and how many of its steps a scan
   * finds (one transaction wrote the run and its steps).
   */
  private String lostRunsInTheDatabase(Path keep) {
    StringBuilder out = new StringBuilder("lost runs in the kept database:");
    try (Connection c = inspect(keep)) {
      for (String id : lostRuns.keySet()) {
        out.append("\n  ")
            .append(id)
            .append(": by key ")
            .append(
                count(
                    c,
                    "SELECT count(*) FROM engine_runs WHERE tenant_id = ? AND run_id = ?",
                    TENANT,
                    id))
            .append(", by scan ")
            .append(count(c, "SELECT count(*) FROM engine_runs WHERE CONCAT(run_id, '') = ?", id))
            .append(", steps by scan ")
            .append(count(c, "SELECT count(*) FROM engine_steps WHERE CONCAT(run_id, '') = ?", id));
      }
    } catch (Exception e) {
      out.append(" cannot open it: ").append(e);
    }
    return out.toString();
  }

  private static long count(Connection c, String sql, String... args) throws Exception {
    try (var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A token, the workflow, and quotas that do not refuse the load. */
  String prepare(String base) {
    String token =
        devToken(
            base,
            "{\"tenant\":\""
                + TENANT
                + "\",\"subject\":\"ops@"
                + TENANT
                + "\",\"roles\":[\"tenant_admin\"]}");
    String admin = devToken(base, "{\"subject\":\"root\",\"roles\":[\"conductor_admin\"]}");
    ok(
        base,
        "PATCH",
        "/api/tenants/" + TENANT,
        admin,
        "{\"quotas\":{\"max_concurrent_runs\":1000000,\"max_steps_per_minute\":100000000,"
            + "\"max_receipt_backlog\":100000000}}");
    String manifest =
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: tick, version: "1"}
        spec:
          tasks:
            - {id: a, uses: core/noop}
            - {id: b, uses: core/noop, needs: [a]}
        """;
    ok(base, "PUT", "/api/workflows/tick/versions/1", token, manifest);
    ok(base, "POST", "/api/workflows/tick/versions/1/publish", token, null);
    return token;
  }

  String devToken(String base, String request) {
    return ok(base, "POST", "/api/dev/token", null, request).path("token").asText();
  }

  /** Clients start runs and read receipts and checkpoints until the server is killed. */
  void load(String base, String token, CliRunner.Running server, Duration killAfter)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      clients.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!stop.get()) {
                      Reply r = send(base, "POST", "/api/runs", token, "{\"workflow\":\"tick\"}");
                      if (r.status() >= 200 && r.status() < 300) {
                        acknowledgedRuns.put(
                            r.body().path("id").asText(),
                            new Ack(incarnation, acks.incrementAndGet()));
                      } else if (r.status() < 0) {
                        return;
                      }
                    }
                  }));
    }
    clients.add(
        Thread.ofVirtual()
            .start(
                () -> {
                  while (!stop.get()) {
                    if (!readReceiptsAndCheckpoint(base, token)) {
                      return;
                    }
                  }
                }));
    Thread.sleep(killAfter.toMillis());
    server.process().destroyForcibly(); // SIGKILL: no drain, nothing flushed
    assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    stop.set(true);
    for (Thread t : clients) {
      t.join(Duration.ofSeconds(30));
    }
  }

  /** Reads the receipts after the last one seen and the latest checkpoint; false once dead. */
  boolean readReceiptsAndCheckpoint(String base, String token) {
    long after = servedReceipts.values().stream().mapToLong(Long::longValue).max().orElse(0);
    Reply page = send(base, "GET", "/api/receipts?limit=500&after=" + after, token, null);
    if (page.status() < 0) {
      return false;
    }
    if (page.status() == 200) {
      for (JsonNode r : page.body().path("receipts")) {
        servedReceipts.put(r.path("id").asText(), r.path("seq").asLong());
      }
    }
    Reply cp = send(base, "GET", "/api/checkpoints/latest", token, null);
    if (cp.status() < 0) {
      return false;
    }
    if (cp.status() == 200) {
      String root = cp.body().path("root").asText();
      long size = cp.body().path("size").asLong();
      String before = servedCheckpoints.putIfAbsent(size, root);
      if (before != null && !before.equals(root)) {
        splitViews.add("size " + size + ": " + before + " and " + root);
      }
    }
    return true;
  }

  /**
   * Which acknowledged runs were lost, per incarnation that acknowledged them, against those it
   * acknowledged after them: a lost tail (every answer after some point) and a single hole among
   * kept runs point at different causes.
   */
  String lossPattern() {
    StringBuilder out = new StringBuilder();
    Map<Integer, List<Map.Entry<String, Ack>>> byIncarnation = new TreeMap<>();
    acknowledgedRuns.entrySet().stream()
        .sorted(java.util.Comparator.comparingLong(e -> e.getValue().order()))
        .forEach(
            e ->
                byIncarnation
                    .computeIfAbsent(e.getValue().incarnation(), k -> new ArrayList<>())
                    .add(e));
    byIncarnation.forEach(
        (inc, answered) -> {
          List<Integer> lostAt = new ArrayList<>();
          for (int k = 0; k < answered.size(); k++) {
            if (lostRuns.containsKey(answered.get(k).getKey())) {
              lostAt.add(k + 1);
            }
          }
          if (!lostAt.isEmpty()) {
            out.append(
                String.format(
                    "incarnation %d answered %d runs; lost the answers numbered %s%n",
                    inc, answered.size(), lostAt));
          }
        });
    return out.toString();
  }

  void verifyNothingLost(String base, String token, int restart) {
    assertThat(splitViews).as("two different roots served for one size").isEmpty();
    String firstLoss = null;
    for (Map.Entry<String, Ack> a : acknowledgedRuns.entrySet()) {
      Reply r = send(base, "GET", "/api/runs/" + a.getKey(), token, null);
      if (r.status() != 200) {
        lostRuns.put(a.getKey(), a.getValue());
        if (firstLoss == null) {
          firstLoss =
              String.format(
                  "run %s was answered 2xx before kill %d, then: %s",
                  a.getKey(), restart, r.body());
        }
      }
    }
    if (firstLoss != null) {
      throw new AssertionError(firstLoss + System.lineSeparator() + lossPattern());
    }
    Map<String, Long> stored = new TreeMap<>();
    long after = 0;
    while (true) {
      JsonNode page = ok(base, "GET", "/api/receipts?limit=500&after=" + after, token, null);
      for (JsonNode r : page.path("receipts")) {
        stored.put(r.path("id").asText(), r.path("seq").asLong());
      }
      if (page.path("next_after").isNull()) {
        break;
      }
      after = page.path("next_after").asLong();
    }
    servedReceipts.forEach(
        (id, seq) ->
            assertThat(stored.get(id))
                .as("receipt %s (seq %d) was served before kill %d", id, seq, restart)
                .isEqualTo(seq));
    if (servedCheckpoints.isEmpty()) {
      return;
    }
    JsonNode latest = ok(base, "GET", "/api/checkpoints/latest", token, null);
    long latestSize = latest.path("size").asLong();
    Hash latestRoot = Hash.fromBase64(latest.path("root").asText());
    servedCheckpoints.forEach(
        (size, root) -> {
          assertThat(latestSize)
              .as("checkpoint %d was served before kill %d", size, restart)
              .isGreaterThanOrEqualTo(size);
          JsonNode proof =
              ok(
                  base,
                  "GET",
                  "/api/checkpoints/consistency?from=" + size + "&to=" + latestSize,
                  token,
                  null);
          assertThat(ConsistencyProof.fromJson(proof).verify(Hash.fromBase64(root), latestRoot))
              .as(
                  "checkpoint %d (root %s) served before kill %d is consistent with checkpoint"
                      + " %d after it",
                  size, root, restart, latestSize)
              .isTrue();
        });
  }
}
