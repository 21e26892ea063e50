package io.maestro.metering;

import io.maestro.core.problem.MaestroException;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's budget caps in USD per UTC day and per UTC month; an empty cap does not limit.
 *
 * @param source {@code tenant} when set through the budget API, {@code default} when the tenant has
 *     set none (its tenancy record's daily budget then caps the day)
 */
public record Budget(
    Optional<BigDecimal> dailyMaxUsd, Optional<BigDecimal> monthlyMaxUsd, String source) {
  /** At most 12 digits before the point and 6 after: what {@code metering_budgets} stores. */
  private static final int MAX_INTEGER_DIGITS = 12;

  private static final int MAX_SCALE = 6;

  public Budget {
    Objects.requireNonNull(dailyMaxUsd, "dailyMaxUsd");
    Objects.requireNonNull(monthlyMaxUsd, "monthlyMaxUsd");
    Objects.requireNonNull(source, "source");
    dailyMaxUsd.ifPresent(v -> check("daily", v));
    monthlyMaxUsd.ifPresent(v -> check("monthly", v));
  }

  /** Caps set by the tenant through the budget API. */
  public static Budget of(Optional<BigDecimal> daily, Optional<BigDecimal> monthly) {
    return new Budget(daily, monthly, "tenant");
  }

  private static void check(String which, BigDecimal v) {
    if (v.signum() < 0
        || v.stripTrailingZeros().scale() > MAX_SCALE
        || v.precision() - v.scale() > MAX_INTEGER_DIGITS) {
      throw MaestroException.of(
          MeteringErrors.BAD_BUDGET,
          "the "
              + which
              + " budget must be a non-negative USD amount with at most "
              + MAX_SCALE
              + " decimals, not "
              + v.toPlainString());
    }
  }
}
