package io.maestro.metering;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a tenant has spent (the priced cost of its metered events) in the UTC day and the UTC month
 * of {@code at}, and what the reservations of its runs in progress still hold in them (ADR 0030),
 * read from the maintained spend counters.
 */
public record Spend(
    Instant at,
    BigDecimal todayUsd,
    BigDecimal monthUsd,
    BigDecimal reservedTodayUsd,
    BigDecimal reservedMonthUsd) {

  /** Spend without reservations. */
  public Spend(Instant at, BigDecimal todayUsd, BigDecimal monthUsd) {
    this(at, todayUsd, monthUsd, BigDecimal.ZERO, BigDecimal.ZERO);
  }
}
