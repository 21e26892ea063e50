package io.maestro.governance.slo;

import java.time.Duration;
import java.util.List;

/**
 * The multi-window, multi-burn-rate alerts of an SLO: an alert fires when the error budget burns
 * faster than {@code factor} times the sustainable rate over both its long and its short window.
 * With a 30-day window, 14.4× over 1 h spends 2 % of the budget (page); 6× over 6 h spends 5 %
 * (ticket).
 */
public record BurnRate(String severity, Duration longWindow, Duration shortWindow, double factor) {
  public static final List<BurnRate> STANDARD =
      List.of(
          new BurnRate("page", Duration.ofHours(1), Duration.ofMinutes(5), 14.4),
          new BurnRate("ticket", Duration.ofHours(6), Duration.ofMinutes(30), 6));

  /** How fast a window with {@code bad} of {@code total} events burns {@code slo}'s budget. */
  public static double of(Slo slo, long bad, long total) {
    return total == 0 ? 0 : ((double) bad / total) / slo.budgetFraction();
  }
}
