package io.maestro.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the workload on one engine in this JVM and prints (and optionally writes as JSON) one {@link
 * PhaseResult} per phase: warm-up, burst, sustained, then an open loop at half the sustained rate
 * just measured.
 *
 * <pre>
 * --engine maestro|flowable|camunda   --db h2|pg   --burst 1000   --runs 3000   --clients 64
 * --open-seconds 30   --warmup 200   --pool 16   --pg-url jdbc:postgresql://127.0.0.1:5432/test
 * --pg-user postgres   --out result.json
 * </pre>
 *
 * The peers' adapters live on perf's test classpath ({@code perf/bin/side-by-side} runs with it).
 */
public final class EngineBench {
  /** Open-loop arrivals at least and at most, whatever the measured rate. */
  private static final int OPEN_MIN = 20;

  private static final int OPEN_MAX = 3_000;

  private EngineBench() {}

  /** The engine and bench result written with {@code --out}. */
  public record Result(
      String engine, String db, int cores, String java, List<PhaseResult> phases) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    // The peers log every engine boot step at INFO through java.util.logging.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    String name = opt.getOrDefault("engine", "maestro");
    boolean pg = opt.getOrDefault("db", "h2").equals("pg");
    int burst = Integer.parseInt(opt.getOrDefault("burst", "1000"));
    int runs = Integer.parseInt(opt.getOrDefault("runs", "3000"));
    int clients = Integer.parseInt(opt.getOrDefault("clients", "64"));
    int openSeconds = Integer.parseInt(opt.getOrDefault("open-seconds", "30"));
    int warmup = Integer.parseInt(opt.getOrDefault("warmup", "200"));
    int pool = Integer.parseInt(opt.getOrDefault("pool", "16"));
    Path dir = Files.createTempDirectory("maestro-perf-" + name);
    List<PhaseResult> phases = new ArrayList<>();
    try (BenchDatabase database =
            pg
                ? BenchDatabase.postgres(
                    opt.getOrDefault("pg-url", "jdbc:postgresql://127.0.0.1:5432/test"),
                    opt.getOrDefault("pg-user", "postgres"),
                    name,
                    pool,
                    dir)
                : BenchDatabase.h2(dir, name, pool);
        Engine engine = engine(name)) {
      engine.start(database);
      Workload workload = new Workload(engine, database);
      workload.warmUp(warmup);
      System.out.printf(
          "%s on %s; cores: %d; pool: %d%n",
          name, pg ? "postgresql" : "h2", Runtime.getRuntime().availableProcessors(), pool);
      phases.add(report(workload.burst(burst)));
      PhaseResult sustained = report(workload.sustained(runs, clients));
      phases.add(sustained);
      double rate = Math.max(1, sustained.runsPerSecond() / 2);
      int arrivals = (int) Math.clamp(Math.round(rate * openSeconds), OPEN_MIN, OPEN_MAX);
      phases.add(report(workload.openLoop(arrivals, rate)));
    } finally {
      deleteTree(dir);
    }
    if (opt.containsKey("out")) {
      new ObjectMapper()
          .writeValue(
              Path.of(opt.get("out")).toFile(),
              new Result(
                  name,
                  pg ? "pg" : "h2",
                  Runtime.getRuntime().availableProcessors(),
                  Runtime.version().toString(),
                  phases));
    }
    // Engine executors may leave non-daemon threads behind; the results are out.
    System.exit(0);
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        String k = args[i].substring(2);
        boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
        opt.put(k, flag ? "true" : args[++i]);
      }
    }
    return opt;
  }

  private static PhaseResult report(PhaseResult r) {
    System.out.println("  " + r.describe());
    return r;
  }

  private static Engine engine(String name) throws ReflectiveOperationException {
    return switch (name) {
      case "maestro" -> new MaestroEngine();
      case "flowable", "camunda" -> {
        String cls =
            "io.maestro.perf.peer."
                + Character.toUpperCase(name.charAt(0))
                + name.substring(1)
                + "Engine";
        try {
          yield (Engine) Class.forName(cls).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
          throw new IllegalArgumentException(
              name + " is on perf's test classpath only: run perf/bin/side-by-side", e);
        }
      }
      default -> throw new IllegalArgumentException("unknown engine: " + name);
    };
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
