package io.maestro.console.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What the usage page draws: the window, the totals per event type, the usage by workflow and
 * environment, the cost of each day of the window (days without usage at zero, so the chart's axis
 * is the whole window) and the budget.
 */
public record UsageView(
    LocalDate from,
    LocalDate to,
    JsonNode grouped,
    List<JsonNode> totals,
    List<JsonNode> byGroup,
    List<JsonNode> byDay,
    Map<LocalDate, BigDecimal> costByDay,
    JsonNode budget) {

  static UsageView of(
      LocalDate from, LocalDate to, JsonNode grouped, JsonNode daily, JsonNode budget) {
    List<JsonNode> totals = new ArrayList<>();
    grouped.path("totals").forEach(totals::add);
    List<JsonNode> byGroup = new ArrayList<>();
    grouped.path("breakdown").forEach(byGroup::add);
    List<JsonNode> byDay = new ArrayList<>();
    daily.path("breakdown").forEach(byDay::add);
    Map<LocalDate, BigDecimal> cost = new TreeMap<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      cost.put(d, BigDecimal.ZERO);
    }
    for (JsonNode l : byDay) {
      LocalDate d = LocalDate.parse(l.path("day").asText());
      cost.merge(d, new BigDecimal(l.path("costUsd").asText("0")), BigDecimal::add);
    }
    return new UsageView(
        from,
        to,
        grouped,
        List.copyOf(totals),
        List.copyOf(byGroup),
        List.copyOf(byDay),
        java.util.Collections.unmodifiableMap(cost),
        budget);
  }

  public boolean hasBudget() {
    return budget != null && !budget.isMissingNode();
  }

  /** The chart's x values: each day's start as Unix seconds, comma-separated. */
  public String chartDays() {
    StringJoiner j = new StringJoiner(",");
    costByDay.keySet().forEach(d -> j.add(Long.toString(d.toEpochDay() * 86_400L)));
    return j.toString();
  }

  /** The chart's y values: each day's cost in USD, comma-separated. */
  public String chartCosts() {
    StringJoiner j = new StringJoiner(",");
    costByDay.values().forEach(c -> j.add(c.setScale(6, RoundingMode.HALF_UP).toPlainString()));
    return j.toString();
  }

  /** A USD amount as {@link #usd(BigDecimal)} shows it (the API's decimals keep nine places). */
  public static String usd(JsonNode amount) {
    if (amount == null || amount.isMissingNode() || amount.isNull()) {
      return "—";
    }
    return usd(new BigDecimal(amount.asText("0")));
  }

  /**
   * A USD amount to the cent; an amount that is not zero but rounds to $0.00 shows its first three
   * significant digits instead ($0.00118), so a day or a spend of a fraction of a cent does not
   * read as nothing.
   */
  public static String usd(BigDecimal amount) {
    BigDecimal cents = amount.setScale(2, RoundingMode.HALF_UP);
    if (cents.signum() == 0 && amount.signum() != 0) {
      return "$"
          + amount
              .round(new MathContext(3, RoundingMode.HALF_UP))
              .stripTrailingZeros()
              .toPlainString();
    }
    return "$" + cents.toPlainString();
  }

  /** How much of a cap is used, 0-100, for the meter. */
  public static long percent(JsonNode spent, JsonNode max) {
    if (max == null || max.isNull() || max.isMissingNode() || max.asDouble() <= 0) {
      return 0;
    }
    return Math.min(100, Math.round(spent.asDouble() * 100 / max.asDouble()));
  }
}
