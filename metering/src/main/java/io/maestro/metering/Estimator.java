package io.maestro.metering;

import io.maestro.core.TenantId;
import io.maestro.metering.PlannedRun.PlannedStep;
import io.maestro.metering.internal.EstimateHistory;
import io.maestro.store.Tx;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Estimates what a run will cost before it starts, from the metered history of the same workflow
 * version: each step at the median (p50) duration of its latest attempts, and the run's overhead
 * (its start, receipts and their storage) at the median of the latest runs' overhead. Where the
 * version has no history, a step is priced at its task type's default duration (or the duration its
 * manifest states, e.g. a {@code core/wait}) and the overhead at a default receipt count; each line
 * says which basis it used.
 *
 * <p>Prices come from the same price book and SKU that will price the run's events, so an estimate
 * and the actual cost differ only by how far the run departs from the median.
 */
public final class Estimator {
  /** Default step durations per task type, used only without history. */
  static final Map<String, Long> DEFAULT_DURATION_MS =
      Map.of(
          "core/log", 20L,
          "core/exec", 1_000L,
          "core/http", 500L,
          "core/wait", 1_000L,
          "core/approval", 0L,
          "core/workflow", 100L);

  static final long UNKNOWN_TASK_MS = 1_000L;

  /** Without history, a run is assumed to write this many receipts per step, plus two. */
  static final int DEFAULT_RECEIPTS_PER_STEP = 3;

  /** Without history, each receipt is assumed to store this many bytes. */
  static final long DEFAULT_RECEIPT_BYTES = 1_500L;

  private final Metering metering;

  Estimator(Metering metering) {
    this.metering = metering;
  }

  /** The estimate for a run of {@code plan} in {@code tenant}, in the caller's transaction. */
  public CostEstimate estimate(Tx tx, TenantId tenant, PlannedRun plan) {
    PriceBook book = metering.priceBook();
    String sku = metering.skuOf(tenant);
    Map<String, List<Long>> history =
        EstimateHistory.stepDurations(tx, tenant, plan.workflow(), plan.version());
    List<BigDecimal> overheads =
        EstimateHistory.runOverheads(tx, tenant, plan.workflow(), plan.version());
    List<CostEstimate.Line> lines = new ArrayList<>();
    int fromHistory = 0;

    CostEstimate.Line overhead;
    if (!overheads.isEmpty()) {
      overhead =
          new CostEstimate.Line(
              Optional.empty(),
              "run",
              CostEstimate.HISTORY,
              0,
              overheads.size(),
              median(overheads.stream().sorted().toList()).setScale(PriceBook.COST_SCALE),
              "median overhead (start, receipts, storage) of the last "
                  + overheads.size()
                  + " run(s) of this version");
      fromHistory++;
    } else {
      long receipts = 2L + (long) DEFAULT_RECEIPTS_PER_STEP * plan.steps().size();
      BigDecimal cost =
          book.cost(sku, EventType.RUN_STARTED, 1, MeteredEvent.DEFAULT_RESOURCE_CLASS)
              .add(
                  book.cost(
                      sku,
                      EventType.RECEIPT_EMITTED,
                      receipts,
                      MeteredEvent.DEFAULT_RESOURCE_CLASS))
              .add(
                  book.cost(
                      sku,
                      EventType.STORAGE_BYTES_WRITTEN,
                      receipts * DEFAULT_RECEIPT_BYTES,
                      MeteredEvent.DEFAULT_RESOURCE_CLASS));
      overhead =
          new CostEstimate.Line(
              Optional.empty(),
              "run",
              CostEstimate.DEFAULTS,
              0,
              0,
              cost,
              "no past run of this version: one start and "
                  + receipts
                  + " receipts of "
                  + DEFAULT_RECEIPT_BYTES
                  + " bytes assumed");
    }
    lines.add(overhead);

    for (PlannedStep step : plan.steps()) {
      List<Long> past = history.getOrDefault(step.id(), List.of());
      long ms;
      String basis;
      String why;
      if (!past.isEmpty()) {
        ms = median(past.stream().sorted().toList());
        basis = CostEstimate.HISTORY;
        why = "median duration of the last " + past.size() + " attempt(s) of this step";
        fromHistory++;
      } else if (step.hintMs().isPresent()) {
        ms = step.hintMs().get();
        basis = CostEstimate.DEFAULTS;
        why = "no history: the duration the manifest states";
      } else {
        ms = DEFAULT_DURATION_MS.getOrDefault(step.task(), UNKNOWN_TASK_MS);
        basis = CostEstimate.DEFAULTS;
        why =
            "no history: the default duration of "
                + (DEFAULT_DURATION_MS.containsKey(step.task()) ? step.task() : "an unknown task");
      }
      BigDecimal cost = book.cost(sku, EventType.STEP_EXECUTED, ms, plan.resourceClass());
      lines.add(
          new CostEstimate.Line(
              Optional.of(step.id()), step.task(), basis, ms, past.size(), cost, why));
    }

    BigDecimal total =
        lines.stream()
            .map(CostEstimate.Line::costUsd)
            .reduce(BigDecimal.ZERO.setScale(PriceBook.COST_SCALE), BigDecimal::add);
    String basis =
        fromHistory == lines.size()
            ? CostEstimate.HISTORY
            : fromHistory == 0 ? CostEstimate.DEFAULTS : CostEstimate.MIXED;
    return new CostEstimate(plan.workflow(), plan.version(), total, basis, book.version(), lines);
  }

  /** The lower median of sorted values (an actual sample, so a duration stays whole). */
  private static <T> T median(List<T> sorted) {
    return sorted.get((sorted.size() - 1) / 2);
  }
}
