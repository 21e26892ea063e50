package io.maestro.lifecycle.retention;

import java.util.OptionalInt;

/**
 * The platform's limits on a tenant's retention rules, in days: no rule may keep data for less than
 * {@code minDays} (so a mistaken rule cannot wipe recent history) or, when set, more than {@code
 * maxDays} (what the edition's plans store). The policy refuses a rule outside them.
 */
public record RetentionBounds(int minDays, OptionalInt maxDays) {
  public RetentionBounds {
    if (minDays < 1) {
      throw new IllegalArgumentException("the minimum retention is at least one day");
    }
    if (maxDays.isPresent() && maxDays.getAsInt() < minDays) {
      throw new IllegalArgumentException(
          "the maximum retention (" + maxDays.getAsInt() + " days) is below the minimum");
    }
  }

  /**
   * The edition's limits, each replaced by the configured value when there is one: the hosted
   * service keeps at least 7 days and at most 3650 (ten years); internal and white-label
   * installations at least 1 day and no maximum. A configured maximum of 0 means none.
   */
  public static RetentionBounds of(String edition, OptionalInt minDays, OptionalInt maxDays) {
    boolean saas = "saas".equals(edition);
    int min = minDays.orElse(saas ? 7 : 1);
    OptionalInt max =
        maxDays.isPresent()
            ? (maxDays.getAsInt() == 0 ? OptionalInt.empty() : maxDays)
            : saas ? OptionalInt.of(3650) : OptionalInt.empty();
    return new RetentionBounds(min, max);
  }
}
