package io.maestro.metering;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A run's estimated cost and how it was reached.
 *
 * @param estimatedUsd the sum of the lines, at the cost scale of the price book
 * @param basis {@code history} when every line comes from the version's past runs, {@code defaults}
 *     when none does, {@code mixed} otherwise
 * @param priceBook the price book version that priced the lines
 */
public record CostEstimate(
    String workflow,
    String version,
    BigDecimal estimatedUsd,
    String basis,
    String priceBook,
    List<Line> breakdown) {
  public static final String HISTORY = "history";
  public static final String DEFAULTS = "defaults";
  public static final String MIXED = "mixed";

  public CostEstimate {
    Objects.requireNonNull(estimatedUsd, "estimatedUsd");
    breakdown = List.copyOf(breakdown);
  }

  /**
   * One line of the estimate: a step (its task type, the duration assumed and how many past
   * attempts it is the median of) or the run's own overhead ({@code step} empty: its start, its
   * receipts and their storage).
   *
   * @param basis {@code history} or {@code defaults}
   * @param samples how many past attempts (steps) or runs (overhead) the median is over; 0 for
   *     defaults
   * @param rationale one sentence saying where the number comes from
   */
  public record Line(
      Optional<String> step,
      String task,
      String basis,
      long durationMs,
      int samples,
      BigDecimal costUsd,
      String rationale) {}
}
