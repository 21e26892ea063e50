package io.maestro.server.auth;

import io.maestro.tenancy.Tenant;
import java.util.Map;

/**
 * A tenant's budget as the policy input's {@code tenant.budget} carries it: {@code dailyMaxUSD},
 * {@code monthlyMaxUSD} (when capped), {@code spentUSD} (spent today, seed 003 §8's name) and
 * {@code monthlySpentUSD}. Read only for actions that spend (the same set usage is read for).
 */
@FunctionalInterface
public interface BudgetSource {
  Map<String, Object> budget(Tenant tenant);

  /** No metering: the tenancy record's daily cap, nothing spent. */
  BudgetSource CAPS_ONLY =
      t -> Map.of("dailyMaxUSD", t.dailyBudgetUsd(), "spentUSD", java.math.BigDecimal.ZERO);
}
