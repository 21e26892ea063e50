package io.maestro.metering;

import java.math.BigDecimal;
import java.util.List;

/**
 * What one run cost: every cost line recorded for it, and their sum.
 *
 * @param lines the run's events with their cost lines, in outbox order
 * @param costUsd the exact sum (nine decimal places)
 */
public record RunCost(String runId, List<StoredEvent> lines, BigDecimal costUsd) {
  public RunCost {
    lines = List.copyOf(lines);
  }
}
