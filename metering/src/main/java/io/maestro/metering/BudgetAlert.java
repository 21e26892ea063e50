package io.maestro.metering;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A budget warning, the billing event of a tenant nearing its cap: the first admission in a UTC day
 * ({@code period} {@code day}) or month ({@code month}) whose spend plus estimate reached the
 * warning threshold. Its CloudEvents type is {@code io.maestro.billing.budget_warning}.
 *
 * @param bucket the start of the day or month
 */
public record BudgetAlert(
    String period,
    Instant bucket,
    String decisionId,
    BigDecimal spentUsd,
    BigDecimal estimatedUsd,
    BigDecimal limitUsd,
    Instant occurredAt) {
  public static final String CLOUDEVENTS_TYPE = "io.maestro.billing.budget_warning";
}
