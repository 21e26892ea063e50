package io.maestro.metering.internal;

import io.maestro.core.TenantId;
import io.maestro.store.Tx;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SQL for {@code metering_spend}, the per-tenant spend counters of each UTC day and month. The
 * folder adds pending amounts to them (the same update-then-insert increment as the rollups), so
 * reading what a tenant spent today or this month is a primary-key lookup plus the few amounts not
 * yet folded, in one statement, never a sum over events.
 */
public final class SpendTable {
  public static final String DAY = "day";
  public static final String MONTH = "month";

  private SpendTable() {}

  /** The start of the UTC day of {@code t}. */
  public static Instant day(Instant t) {
    return t.truncatedTo(ChronoUnit.DAYS);
  }

  /** The start of the UTC month of {@code t}. */
  public static Instant month(Instant t) {
    LocalDate d = LocalDate.ofInstant(t, ZoneOffset.UTC).withDayOfMonth(1);
    return d.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** A key of the counters: period and bucket. */
  public record Bucket(String period, Instant start) implements Comparable<Bucket> {
    /** The start of the next bucket of the same period. */
    Instant end() {
      return DAY.equals(period)
          ? start.plus(1, ChronoUnit.DAYS)
          : LocalDate.ofInstant(start, ZoneOffset.UTC)
              .plusMonths(1)
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant();
    }

    @Override
    public int compareTo(Bucket o) {
      int c = period.compareTo(o.period);
      return c != 0 ? c : start.compareTo(o.start);
    }
  }

  /** Adds each amount to its counter, in key order (the order rows are locked in). */
  public static void add(Tx tx, TenantId tenant, Map<Bucket, BigDecimal> amounts) {
    for (Map.Entry<Bucket, BigDecimal> e : new TreeMap<>(amounts).entrySet()) {
      Bucket b = e.getKey();
      if (increment(tx, tenant, b, e.getValue()) > 0) {
        continue;
      }
      int inserted =
          tx.update(
              "INSERT INTO metering_spend (tenant_id, period, bucket, cost_usd) VALUES (?, ?, ?, ?)"
                  + " ON CONFLICT DO NOTHING",
              tenant.value(),
              b.period(),
              b.start(),
              e.getValue());
      if (inserted == 0 && increment(tx, tenant, b, e.getValue()) == 0) {
        throw new IllegalStateException("a spend counter vanished while it was being added to");
      }
    }
  }

  private static int increment(Tx tx, TenantId tenant, Bucket b, BigDecimal amount) {
    return tx.update(
        "UPDATE metering_spend SET cost_usd = cost_usd + ? WHERE tenant_id = ? AND period = ?"
            + " AND bucket = ?",
        amount,
        tenant.value(),
        b.period(),
        b.start());
  }

  /** What was spent and what open reservations hold in one bucket. */
  public record Counter(BigDecimal spentUsd, BigDecimal reservedUsd) {}

  /** The day's and the month's counters. */
  public record Counters(Counter day, Counter month) {}

  /**
   * Locks the counters of {@code buckets} (creating them at zero if missing) in key order until the
   * transaction ends: the admission's serialization point per tenant (ADR 0030). The folder adds to
   * the same rows in short transactions; actions never touch them.
   */
  public static void lock(Tx tx, TenantId tenant, List<Bucket> buckets) {
    Map<Bucket, BigDecimal> zero = new TreeMap<>();
    buckets.forEach(b -> zero.put(b, BigDecimal.ZERO));
    add(tx, tenant, zero); // a no-op increment takes the row lock on both databases
  }

  /**
   * What was spent and is held reserved in the day and month buckets: per bucket the folded counter
   * plus the pending amounts not yet folded into it, and the sum of what the open reservations of
   * that day or month still hold — in one statement, so one snapshot: an amount being folded counts
   * once, and an action's cost and what it took from its run's reservation are seen together.
   */
  public static Counters read(Tx tx, TenantId tenant, Bucket day, Bucket month) {
    String spent =
        "(SELECT COALESCE(SUM(cost_usd), 0) FROM metering_spend WHERE tenant_id = ? AND period = ?"
            + " AND bucket = ?) + (SELECT COALESCE(SUM(cost_usd), 0) FROM metering_pending WHERE"
            + " tenant_id = ? AND bucket >= ? AND bucket < ?)";
    String reserved =
        "(SELECT COALESCE(SUM(held_usd), 0) FROM metering_reservations WHERE tenant_id = ? AND"
            + " released_at IS NULL AND %s = ?)";
    List<Object> args = new ArrayList<>();
    for (Bucket b : List.of(day, month)) {
      args.addAll(
          List.of(tenant.value(), b.period(), b.start(), tenant.value(), b.start(), b.end()));
    }
    args.addAll(List.of(tenant.value(), day.start(), tenant.value(), month.start()));
    return tx.queryOne(
            "SELECT "
                + spent
                + " AS day_spent, "
                + spent
                + " AS month_spent, "
                + reserved.formatted("day_bucket")
                + " AS day_reserved, "
                + reserved.formatted("month_bucket")
                + " AS month_reserved",
            rs ->
                new Counters(
                    new Counter(
                        plain(rs.getBigDecimal("day_spent")),
                        plain(rs.getBigDecimal("day_reserved"))),
                    new Counter(
                        plain(rs.getBigDecimal("month_spent")),
                        plain(rs.getBigDecimal("month_reserved")))),
            args.toArray())
        .orElseThrow();
  }

  private static BigDecimal plain(BigDecimal v) {
    return v == null || v.signum() == 0 ? BigDecimal.ZERO : v;
  }
}
