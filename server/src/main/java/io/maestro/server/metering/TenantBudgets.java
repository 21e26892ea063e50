package io.maestro.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.metering.Budget;
import io.maestro.metering.Metering;
import io.maestro.metering.Spend;
import io.maestro.server.auth.BudgetSource;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.Tenant;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's effective budget: the platform's daily cap from its tenancy record (set at
 * provisioning, changed by platform roles) tightened by the caps its own administrators set through
 * the budget API, with what it spent today and this month from metering's spend counters.
 */
public final class TenantBudgets implements BudgetSource {
  private final Database db;
  private final Metering metering;
  private final Clock clock;

  public TenantBudgets(Database db, Metering metering, Clock clock) {
    this.db = db;
    this.metering = metering;
    this.clock = clock;
  }

  /** The budget and spend of a tenant at one instant. */
  public record View(
      BigDecimal platformDailyMaxUsd,
      Optional<Budget> tenantSet,
      BigDecimal dailyMaxUsd,
      Optional<BigDecimal> monthlyMaxUsd,
      Spend spend) {

    /** The policy input's {@code tenant.budget}. */
    public Map<String, Object> input() {
      return TenantBudgets.input(dailyMaxUsd, monthlyMaxUsd, spend);
    }

    /** The budget as the budget API, {@code whoami} and {@code status --explain} show it. */
    public ObjectNode json() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("dailyMaxUSD", plain(dailyMaxUsd));
      if (monthlyMaxUsd.isPresent()) {
        o.put("monthlyMaxUSD", plain(monthlyMaxUsd.get()));
      } else {
        o.putNull("monthlyMaxUSD");
      }
      o.put("spentUSD", plain(spend.todayUsd()));
      o.put("monthlySpentUSD", plain(spend.monthUsd()));
      o.put("reservedUSD", plain(spend.reservedTodayUsd()));
      o.put("monthlyReservedUSD", plain(spend.reservedMonthUsd()));
      o.put(
          "dailyRemainingUSD",
          remaining(dailyMaxUsd, spend.todayUsd().add(spend.reservedTodayUsd())));
      if (monthlyMaxUsd.isPresent()) {
        o.put(
            "monthlyRemainingUSD",
            remaining(monthlyMaxUsd.get(), spend.monthUsd().add(spend.reservedMonthUsd())));
      } else {
        o.putNull("monthlyRemainingUSD");
      }
      o.put("platformDailyMaxUSD", plain(platformDailyMaxUsd));
      ObjectNode set = o.putObject("tenantSet");
      tenantSet
          .flatMap(Budget::dailyMaxUsd)
          .ifPresentOrElse(v -> set.put("dailyMaxUSD", plain(v)), () -> set.putNull("dailyMaxUSD"));
      tenantSet
          .flatMap(Budget::monthlyMaxUsd)
          .ifPresentOrElse(
              v -> set.put("monthlyMaxUSD", plain(v)), () -> set.putNull("monthlyMaxUSD"));
      o.put("spentAt", spend.at().toString());
      return o;
    }

    private static BigDecimal remaining(BigDecimal cap, BigDecimal spent) {
      return plain(cap.subtract(spent).max(BigDecimal.ZERO));
    }
  }

  /**
   * The policy input's {@code tenant.budget}: the caps, what was spent today and this month, and
   * what the reservations of runs in progress hold in each ({@code reservedUSD}, {@code
   * monthlyReservedUSD}; ADR 0030).
   */
  public static Map<String, Object> input(
      BigDecimal dailyMaxUsd, Optional<BigDecimal> monthlyMaxUsd, Spend spend) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dailyMaxUSD", plain(dailyMaxUsd));
    monthlyMaxUsd.ifPresent(v -> m.put("monthlyMaxUSD", plain(v)));
    m.put("spentUSD", plain(spend.todayUsd()));
    m.put("monthlySpentUSD", plain(spend.monthUsd()));
    m.put("reservedUSD", plain(spend.reservedTodayUsd()));
    m.put("monthlyReservedUSD", plain(spend.reservedMonthUsd()));
    return m;
  }

  /** An amount without trailing zeros (never in exponent form), as JSON shows it. */
  public static BigDecimal plain(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  /**
   * Adds {@code field}, what remains of the cap {@code cap} after {@code spent} (never below zero),
   * to a budget object that has a numeric cap; leaves one without the cap as it is.
   */
  public static void addRemaining(JsonNode budget, String cap, String spent, String field) {
    addRemaining(budget, cap, spent, "", field);
  }

  /** As above, also taking away what {@code reserved} holds (absent: nothing). */
  public static void addRemaining(
      JsonNode budget, String cap, String spent, String reserved, String field) {
    if (budget instanceof ObjectNode b && b.path(cap).isNumber()) {
      b.put(
          field,
          plain(
              b.path(cap)
                  .decimalValue()
                  .subtract(b.path(spent).decimalValue())
                  .subtract(reserved.isEmpty() ? BigDecimal.ZERO : b.path(reserved).decimalValue())
                  .max(BigDecimal.ZERO)));
    }
  }

  /** The tenant's budget and spend now. */
  public View view(Tenant tenant) {
    TenantId id = tenant.id();
    return db.inTransaction(
        TenantScope.of(id),
        tx -> {
          Optional<Budget> set = metering.budget(tx, id);
          Spend spend = metering.spend(tx, id, clock.instant());
          BigDecimal daily =
              set.flatMap(Budget::dailyMaxUsd)
                  .map(v -> v.min(tenant.dailyBudgetUsd()))
                  .orElse(tenant.dailyBudgetUsd());
          return new View(
              tenant.dailyBudgetUsd(), set, daily, set.flatMap(Budget::monthlyMaxUsd), spend);
        });
  }

  @Override
  public Map<String, Object> budget(Tenant tenant) {
    return view(tenant).input();
  }
}
