package io.maestro.perf;

/**
 * The outcome of one phase on one engine. Latencies are request (or, open loop, scheduled arrival)
 * → first step started, in milliseconds; {@code runsPerSecond} counts completed 3-step runs from
 * the first request to the last finish. CPU is in % of all cores; {@code commits} is the engine
 * database's commits during the phase less those the harness's own status reads caused, -1 where
 * unknown (H2).
 */
public record PhaseResult(
    String phase,
    int requested,
    int errors,
    int completed,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    double maxMs,
    double seconds,
    double runsPerSecond,
    double arrivalsPerSecond,
    int maxInFlight,
    double systemCpu,
    double processCpu,
    long commits,
    long harnessCommits,
    String loadAverage) {

  /** Commits per completed step (three per run), or -1 where unknown. */
  public double commitsPerStep() {
    return commits < 0 || completed == 0 ? -1 : commits / (3.0 * completed);
  }

  /** One human-readable line. */
  public String describe() {
    String latency =
        String.format(
            "p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms", p50Ms, p95Ms, p99Ms, maxMs);
    String rate =
        arrivalsPerSecond > 0
            ? String.format(
                "arrivals %.1f/s, max %d runs in flight, ", arrivalsPerSecond, maxInFlight)
            : "";
    String commitPart =
        commits < 0
            ? "commits n/a"
            : String.format(
                "%.2f commits/step (%d commits, %d of the harness's status reads left out)",
                commitsPerStep(), commits, harnessCommits);
    return String.format(
        "%s: %d requested, %d errors, %d completed in %.1f s (%.1f runs/s); %s%s; CPU system %.0f%%,"
            + " engine JVM %.0f%%; %s; load %s",
        phase,
        requested,
        errors,
        completed,
        seconds,
        runsPerSecond,
        rate,
        latency,
        systemCpu,
        processCpu,
        commitPart,
        loadAverage);
  }
}
