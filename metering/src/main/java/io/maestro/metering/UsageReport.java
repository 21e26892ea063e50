package io.maestro.metering;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A usage summary: totals per event type (each in its unit) and, when the query groups or asks for
 * days, the breakdown. Costs are exact to nine decimal places; {@link #costUsdCents()} rounds the
 * total half-even to the cent, as an invoice would.
 *
 * @param totals one line per event type with usage in the window, in {@link EventType} order
 * @param breakdown one line per event type, group and day, sorted by day, workflow, env, type;
 *     empty when the query neither groups nor asks for days
 */
public record UsageReport(
    UsageQuery query, List<Line> totals, List<Line> breakdown, BigDecimal costUsd) {

  public UsageReport {
    Objects.requireNonNull(query, "query");
    totals = List.copyOf(totals);
    breakdown = List.copyOf(breakdown);
    Objects.requireNonNull(costUsd, "costUsd");
  }

  public Instant from() {
    return query.from();
  }

  public Instant to() {
    return query.to();
  }

  public BigDecimal costUsdCents() {
    return costUsd.setScale(2, RoundingMode.HALF_EVEN);
  }

  /**
   * Usage of one event type within a group.
   *
   * @param workflow the workflow ({@code ""} for actions outside workflows), or null when not
   *     grouped by workflow
   * @param env the environment, or null when not grouped by env
   * @param day the UTC day, or null without {@code interval=day}
   * @param events how many events
   * @param quantity their summed quantity in {@code unit}
   * @param costUsd their summed cost
   */
  public record Line(
      EventType type,
      String workflow,
      String env,
      LocalDate day,
      long events,
      long quantity,
      BigDecimal costUsd) {
    public String unit() {
      return type.unit();
    }
  }
}
