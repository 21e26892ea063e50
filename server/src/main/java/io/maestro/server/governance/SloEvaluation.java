package io.maestro.server.governance;

import io.maestro.core.TenantId;
import io.maestro.engine.run.RunQueries;
import io.maestro.governance.slo.BurnRate;
import io.maestro.governance.slo.Slo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One SLO evaluated for one tenant from the engine's own runs: events and bad events over the SLO's
 * window, the error budget left, the burn rate over each alert window and which multi-window alerts
 * fire. What {@code GET /api/slos} shows and the {@code mc_slo_*} gauges export.
 *
 * @param burnRates per alert window (short and long of every {@link BurnRate#STANDARD} rule)
 */
public record SloEvaluation(
    Slo slo,
    long events,
    long badEvents,
    double budgetRemaining,
    Map<Duration, Double> burnRates,
    List<Alert> alerts) {

  /** A multi-window alert and whether it fires now. */
  public record Alert(BurnRate rule, boolean firing) {}

  /** The share of good events over the window (1 when there were none). */
  public double sliRatio() {
    return events == 0 ? 1 : (double) (events - badEvents) / events;
  }

  /** Evaluates {@code slo} (one the engine's data answers) for {@code tenant} at {@code now}. */
  public static SloEvaluation of(RunQueries runs, TenantId tenant, Slo slo, Instant now) {
    return of((since, slow) -> runs.finishedSince(tenant, since, slow), slo, now);
  }

  /**
   * Evaluates {@code slo} for {@code tenant} as of {@code at}: only the runs that finished before
   * it count, so the same instant evaluates the same way later (a compliance pack's SLO report).
   */
  public static SloEvaluation asOf(RunQueries runs, TenantId tenant, Slo slo, Instant at) {
    return of((since, slow) -> runs.finishedBetween(tenant, since, at, slow), slo, at);
  }

  /**
   * Evaluates {@code slo} over the runs of one workflow version only (the rollback controller's
   * view of a canary).
   */
  public static SloEvaluation ofVersion(
      RunQueries runs, TenantId tenant, String workflow, String version, Slo slo, Instant now) {
    return of(
        (since, slow) -> runs.finishedSince(tenant, workflow, version, since, slow), slo, now);
  }

  /** Which runs an evaluation counts: those finished since an instant, slow above a threshold. */
  private interface Runs {
    RunQueries.Finished since(Instant since, Duration slow);
  }

  private static SloEvaluation of(Runs runs, Slo slo, Instant now) {
    if (!slo.sli().fromEngineData()) {
      throw new IllegalArgumentException(slo.name() + " is evaluated by Prometheus");
    }
    Counts all = counts(runs, slo, now.minus(slo.window()));
    double spent = BurnRate.of(slo, all.bad(), all.total());
    Map<Duration, Double> burn = new LinkedHashMap<>();
    List<Alert> alerts =
        BurnRate.STANDARD.stream()
            .map(
                rule -> {
                  double longRate =
                      burn.computeIfAbsent(rule.longWindow(), w -> rate(runs, slo, now, w));
                  double shortRate =
                      burn.computeIfAbsent(rule.shortWindow(), w -> rate(runs, slo, now, w));
                  return new Alert(rule, longRate > rule.factor() && shortRate > rule.factor());
                })
            .toList();
    return new SloEvaluation(
        slo, all.total(), all.bad(), Math.max(0, 1 - spent), Map.copyOf(burn), alerts);
  }

  private static double rate(Runs runs, Slo slo, Instant now, Duration window) {
    Counts c = counts(runs, slo, now.minus(window));
    return BurnRate.of(slo, c.bad(), c.total());
  }

  private record Counts(long total, long bad) {}

  private static Counts counts(Runs runs, Slo slo, Instant since) {
    RunQueries.Finished f = runs.since(since, slo.threshold().orElse(Duration.ofDays(365)));
    return switch (slo.sli()) {
      case WORKFLOW_SUCCESS_RATE -> new Counts(f.total(), f.failed());
      case START_TO_COMPLETE_LATENCY -> new Counts(f.total(), f.slow());
      case POLICY_DECISION_LATENCY -> new Counts(0, 0);
    };
  }

  /** The page alert (the fastest burn), when it fires. */
  public java.util.Optional<Alert> paging() {
    return alerts.stream()
        .filter(a -> a.firing() && "page".equals(a.rule().severity()))
        .findFirst();
  }
}
