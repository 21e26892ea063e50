package io.maestro.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link EngineBench} for every engine on every database, each in a fresh JVM one after the
 * other, and prints one table with all of them and the ratios Maestro ÷ best peer. Started by
 * {@code perf/bin/side-by-side}, which puts the peers (perf's test classpath) on the class path.
 *
 * <pre>
 * --quick   --db h2,pg   --engines maestro,flowable,camunda   --pool 16
 * --pg-url jdbc:postgresql://127.0.0.1:5432/test   --pg-user postgres   --results DIR
 * --budget-minutes 45 (no engine is started after that)
 * </pre>
 */
public final class SideBySide {
  private SideBySide() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = EngineBench.options(args);
    boolean quick = opt.containsKey("quick");
    List<String> dbs = new ArrayList<>(List.of(opt.getOrDefault("db", "h2,pg").split(",")));
    List<String> engines =
        List.of(opt.getOrDefault("engines", "maestro,flowable,camunda").split(","));
    String pgUrl = opt.getOrDefault("pg-url", "jdbc:postgresql://127.0.0.1:5432/test");
    String pgUser = opt.getOrDefault("pg-user", "postgres");
    Path results = Path.of(opt.getOrDefault("results", "target/side-by-side"));
    Files.createDirectories(results);
    if (dbs.contains("pg") && !postgresReachable(pgUrl, pgUser)) {
      dbs.remove("pg");
    }
    List<String> sizes =
        quick
            ? List.of("--burst", "200", "--runs", "500", "--open-seconds", "10", "--warmup", "50")
            : List.of(
                "--burst", "1000", "--runs", "3000", "--open-seconds", "30", "--warmup", "200");
    long timeoutMinutes = quick ? 8 : 12;
    // The whole command is bounded too: no engine starts after the budget is spent.
    long budgetNanos =
        TimeUnit.MINUTES.toNanos(Long.parseLong(opt.getOrDefault("budget-minutes", "45")));
    long begin = System.nanoTime();
    List<EngineBench.Result> all = new ArrayList<>();
    for (String db : dbs) {
      for (String engine : engines) {
        if (System.nanoTime() - begin > budgetNanos) {
          System.out.printf("== %s on %s skipped: the time budget is spent%n", engine, db);
          continue;
        }
        Path out = results.resolve(db + "-" + engine + ".json");
        Path log = results.resolve(db + "-" + engine + ".log");
        Files.deleteIfExists(out);
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of(EngineBench.class.getName(), "--engine", engine, "--db", db));
        cmd.addAll(sizes);
        cmd.addAll(List.of("--pool", opt.getOrDefault("pool", "16"), "--out", out.toString()));
        cmd.addAll(List.of("--pg-url", pgUrl, "--pg-user", pgUser));
        System.out.printf("== %s on %s (load %s)%n", engine, db, Meter.loadAverage());
        Process p =
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
          p.destroyForcibly().waitFor();
          System.out.printf(
              "   %s on %s did not finish within %d minutes (log: %s)%n",
              engine, db, timeoutMinutes, log);
        }
        for (String line : Files.readAllLines(log)) {
          if (line.startsWith("  ") && !line.startsWith("  first request error")) {
            System.out.println(" " + line);
          }
        }
        if (Files.exists(out)) {
          all.add(new ObjectMapper().readValue(out.toFile(), EngineBench.Result.class));
        } else {
          System.out.printf("   no result from %s on %s: see %s%n", engine, db, log);
        }
      }
    }
    System.out.println();
    System.out.print(ResultTable.render(all, quick));
  }

  /** This JVM's java with its heap and the same class path. */
  private static List<String> javaCommand() {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g"));
    if (Runtime.version().feature() >= 24) {
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    // Extra options for every engine's JVM, e.g. a flight recording:
    // MAESTRO_PERF_ENGINE_JVM_OPTS='-XX:StartFlightRecording:filename=/tmp/bench-%p.jfr'
    String extra = System.getenv("MAESTRO_PERF_ENGINE_JVM_OPTS");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    return cmd;
  }

  private static boolean postgresReachable(String url, String user) {
    DriverManager.setLoginTimeout(3);
    try (var c = DriverManager.getConnection(url, user, "")) {
      return true;
    } catch (SQLException e) {
      System.out.println(
          "PostgreSQL is not reachable at "
              + url
              + " ("
              + firstLine(e.getMessage())
              + "): skipping the PostgreSQL runs.");
      return false;
    }
  }

  private static String firstLine(String s) {
    return s == null ? "no message" : s.lines().findFirst().orElse(s);
  }
}
