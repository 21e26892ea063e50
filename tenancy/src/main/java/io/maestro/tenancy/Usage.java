package io.maestro.tenancy;

/**
 * A tenant's current use of its quotas and budget, as the policy input and {@code whoami} show it.
 */
public record Usage(
    int concurrentRuns,
    int stepsLastMinute,
    long receiptBacklog,
    java.math.BigDecimal spentUsd,
    long storageBytes) {
  public static final Usage NONE = new Usage(0, 0, 0, java.math.BigDecimal.ZERO, 0);

  /** Usage without storage figures. */
  public Usage(
      int concurrentRuns, int stepsLastMinute, long receiptBacklog, java.math.BigDecimal spentUsd) {
    this(concurrentRuns, stepsLastMinute, receiptBacklog, spentUsd, 0);
  }
}
