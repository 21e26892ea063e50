package io.maestro.perf;

import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The side-by-side tables in Markdown: the headline figures per engine and database with the ratio
 * Maestro ÷ best peer, then every phase's CPU and commits per step.
 */
final class ResultTable {
  private ResultTable() {}

  static String render(List<EngineBench.Result> results, boolean quick) {
    StringBuilder s = new StringBuilder();
    s.append(
        quick
            ? "Quick mode: burst 200, sustained 500 runs (64 clients), open loop 10 s.\n\n"
            : "Full mode: burst 1,000, sustained 3,000 runs (64 clients), open loop 30 s.\n\n");
    s.append(
        "| engine | DB | burst: request → first step, p95 | sustained: completed 3-step runs/s |"
            + " open loop at ½ capacity: p50 / p95 / p99 | commits/step (sustained) |"
            + " CPU system / engine JVM (sustained) |\n");
    s.append("|---|---|---|---|---|---|---|\n");
    for (String db : List.of("h2", "pg")) {
      List<EngineBench.Result> rows = results.stream().filter(r -> r.db().equals(db)).toList();
      if (rows.isEmpty()) {
        continue;
      }
      for (EngineBench.Result r : rows) {
        PhaseResult burst = phase(r, "burst");
        PhaseResult sustained = phase(r, "sustained");
        PhaseResult open = phase(r, "open-loop");
        s.append(
            String.format(
                "| %s | %s | %s | %s | %s | %s | %s |%n",
                r.engine(),
                label(db),
                burst == null ? "—" : ms(burst.p95Ms()),
                sustained == null ? "—" : String.format("%.1f", sustained.runsPerSecond()),
                open == null
                    ? "—"
                    : ms(open.p50Ms()) + " / " + ms(open.p95Ms()) + " / " + ms(open.p99Ms()),
                sustained == null ? "—" : commits(sustained),
                sustained == null
                    ? "—"
                    : String.format(
                        "%.0f%% / %.0f%%", sustained.systemCpu(), sustained.processCpu())));
      }
      s.append(ratios(rows, db));
    }
    s.append("\n| engine | DB | phase | runs/s | p50 / p95 / p99 | CPU system | CPU engine JVM |")
        .append(" commits/step | load (1 min) |\n|---|---|---|---|---|---|---|---|---|\n");
    for (EngineBench.Result r : results) {
      for (PhaseResult p : r.phases()) {
        s.append(
            String.format(
                "| %s | %s | %s | %.1f | %s / %s / %s | %.0f%% | %.0f%% | %s | %s |%n",
                r.engine(),
                label(r.db()),
                p.phase() + (p.errors() > 0 ? " (" + p.errors() + " errors)" : ""),
                p.runsPerSecond(),
                ms(p.p50Ms()),
                ms(p.p95Ms()),
                ms(p.p99Ms()),
                p.systemCpu(),
                p.processCpu(),
                commits(p),
                p.loadAverage()));
      }
    }
    return s.toString();
  }

  /** The row "Maestro ÷ best peer" (best: highest throughput, lowest latency and commits). */
  private static String ratios(List<EngineBench.Result> rows, String db) {
    Optional<EngineBench.Result> maestro =
        rows.stream().filter(r -> r.engine().equals("maestro")).findFirst();
    List<EngineBench.Result> peers =
        rows.stream().filter(r -> !r.engine().equals("maestro")).toList();
    if (maestro.isEmpty() || peers.isEmpty()) {
      return "";
    }
    return String.format(
        "| **Maestro ÷ best peer** | %s | %s | **%s** | %s | %s | |%n",
        label(db),
        ratio(maestro.get(), peers, "burst", PhaseResult::p95Ms, false),
        ratio(maestro.get(), peers, "sustained", PhaseResult::runsPerSecond, true),
        ratio(maestro.get(), peers, "open-loop", PhaseResult::p95Ms, false) + " (p95)",
        ratio(maestro.get(), peers, "sustained", PhaseResult::commitsPerStep, false));
  }

  private static String ratio(
      EngineBench.Result maestro,
      List<EngineBench.Result> peers,
      String phase,
      ToDoubleFunction<PhaseResult> value,
      boolean higherIsBetter) {
    PhaseResult m = phase(maestro, phase);
    double best = higherIsBetter ? 0 : Double.MAX_VALUE;
    for (EngineBench.Result r : peers) {
      PhaseResult p = phase(r, phase);
      if (p != null && value.applyAsDouble(p) > 0) {
        double v = value.applyAsDouble(p);
        best = higherIsBetter ? Math.max(best, v) : Math.min(best, v);
      }
    }
    if (m == null || value.applyAsDouble(m) <= 0 || best <= 0 || best == Double.MAX_VALUE) {
      return "—";
    }
    return String.format("%.2f×", value.applyAsDouble(m) / best);
  }

  private static PhaseResult phase(EngineBench.Result r, String name) {
    return r.phases().stream().filter(p -> p.phase().equals(name)).findFirst().orElse(null);
  }

  private static String label(String db) {
    return db.equals("pg") ? "PostgreSQL" : "H2 file";
  }

  private static String ms(double v) {
    return v >= 10_000 ? String.format("%.1f s", v / 1000) : String.format("%.0f ms", v);
  }

  private static String commits(PhaseResult p) {
    return p.commits() < 0 ? "n/a" : String.format("%.2f", p.commitsPerStep());
  }
}
