package io.maestro.metering.internal;

import io.maestro.core.TenantId;
import io.maestro.store.Tx;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * SQL for {@code metering_spend}, the per-tenant spend counters of each UTC day and month. They are
 * incremented with every priced event in that event's transaction (the same update-then-insert
 * increment as the rollups), so reading what a tenant spent today or this month is two primary-key
 * lookups, never a sum over events.
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
    @Override
    public int compareTo(Bucket o) {
      int c = period.compareTo(o.period);
      return c != 0 ? c : start.compareTo(o.start);
    }
  }

  /** What to add to one counter: spent and reserved amounts (either may be negative or zero). */
  public record Delta(BigDecimal spentUsd, BigDecimal reservedUsd) {
    public static Delta spent(BigDecimal usd) {
      return new Delta(usd, BigDecimal.ZERO);
    }

    public static Delta reserved(BigDecimal usd) {
      return new Delta(BigDecimal.ZERO, usd);
    }

    public Delta plus(Delta o) {
      return new Delta(spentUsd.add(o.spentUsd), reservedUsd.add(o.reservedUsd));
    }
  }

  /** Adds each amount to its counter, in key order (the order rows are locked in). */
  public static void add(Tx tx, TenantId tenant, Map<Bucket, BigDecimal> amounts) {
    Map<Bucket, Delta> deltas = new TreeMap<>();
    amounts.forEach((b, usd) -> deltas.put(b, Delta.spent(usd)));
    apply(tx, tenant, deltas);
  }

  /** Adds each delta to its counter, in key order (the order rows are locked in). */
  public static void apply(Tx tx, TenantId tenant, Map<Bucket, Delta> deltas) {
    for (Map.Entry<Bucket, Delta> e : new TreeMap<>(deltas).entrySet()) {
      Bucket b = e.getKey();
      Delta d = e.getValue();
      if (increment(tx, tenant, b, d) > 0) {
        continue;
      }
      int inserted =
          tx.update(
              "INSERT INTO metering_spend (tenant_id, period, bucket, cost_usd, reserved_usd)"
                  + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
              tenant.value(),
              b.period(),
              b.start(),
              d.spentUsd(),
              d.reservedUsd());
      if (inserted == 0 && increment(tx, tenant, b, d) == 0) {
        throw new IllegalStateException("a spend counter vanished while it was being added to");
      }
    }
  }

  private static int increment(Tx tx, TenantId tenant, Bucket b, Delta d) {
    return tx.update(
        "UPDATE metering_spend SET cost_usd = cost_usd + ?, reserved_usd = reserved_usd + ?"
            + " WHERE tenant_id = ? AND period = ? AND bucket = ?",
        d.spentUsd(),
        d.reservedUsd(),
        tenant.value(),
        b.period(),
        b.start());
  }

  /** A counter as read: spent and reserved. */
  public record Counter(BigDecimal spentUsd, BigDecimal reservedUsd) {
    static final Counter ZERO = new Counter(BigDecimal.ZERO, BigDecimal.ZERO);
  }

  /**
   * Locks the counters of {@code buckets} (creating them at zero if missing) in key order, until
   * the transaction ends, and returns them: the admission's serialization point per tenant.
   */
  public static Map<Bucket, Counter> lock(Tx tx, TenantId tenant, java.util.List<Bucket> buckets) {
    Map<Bucket, Counter> out = new TreeMap<>();
    for (Bucket b : new java.util.TreeSet<>(buckets)) {
      // A no-op increment takes the row lock on both backends; the insert creates a missing row.
      apply(tx, tenant, Map.of(b, new Delta(BigDecimal.ZERO, BigDecimal.ZERO)));
      out.put(b, counter(tx, tenant, b));
    }
    return out;
  }

  /** Spent and reserved of one bucket; zero when nothing was spent or reserved in it. */
  public static Counter counter(Tx tx, TenantId tenant, Bucket b) {
    return tx.queryOne(
            "SELECT cost_usd, reserved_usd FROM metering_spend WHERE tenant_id = ? AND period = ?"
                + " AND bucket = ?",
            rs -> new Counter(rs.getBigDecimal("cost_usd"), rs.getBigDecimal("reserved_usd")),
            tenant.value(),
            b.period(),
            b.start())
        .orElse(Counter.ZERO);
  }

  /** The counter of one bucket; zero when nothing was spent in it. */
  public static BigDecimal read(Tx tx, TenantId tenant, Bucket b) {
    return tx.queryOne(
            "SELECT cost_usd FROM metering_spend WHERE tenant_id = ? AND period = ? AND bucket = ?",
            rs -> rs.getBigDecimal("cost_usd"),
            tenant.value(),
            b.period(),
            b.start())
        .orElse(BigDecimal.ZERO);
  }
}
