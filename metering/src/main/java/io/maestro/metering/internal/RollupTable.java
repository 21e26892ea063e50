package io.maestro.metering.internal;

import io.maestro.core.TenantId;
import io.maestro.metering.EventType;
import io.maestro.store.Dialect;
import io.maestro.store.StoreException;
import io.maestro.store.Tx;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SQL for the rollup tables. Adding to a bucket is an increment that works alike on H2 and
 * PostgreSQL without dialect-specific upserts: update the row; where none was there, insert it
 * unless a concurrent transaction just did ({@code ON CONFLICT DO NOTHING} waits for it); where
 * that inserted nothing, update again. Rows are touched in key order so concurrent writers lock
 * them in the same order.
 */
public final class RollupTable {
  private RollupTable() {}

  /** An amount to add to one bucket of one level. */
  public record Delta(
      Level level,
      TenantId tenant,
      Instant bucket,
      EventType type,
      String workflow,
      String env,
      long events,
      long quantity,
      BigDecimal costUsd) {

    /** Key order: the order rows are locked in. */
    static final Comparator<Delta> KEY_ORDER =
        Comparator.comparing(Delta::level)
            .thenComparing(d -> d.tenant().value())
            .thenComparing(Delta::bucket)
            .thenComparing(Delta::type)
            .thenComparing(Delta::workflow)
            .thenComparing(Delta::env);
  }

  /** Adds every delta to its bucket. */
  public static void add(Tx tx, List<Delta> deltas) {
    List<Delta> sorted = deltas.stream().sorted(Delta.KEY_ORDER).toList();
    for (Level level : Level.values()) {
      List<Delta> ofLevel = sorted.stream().filter(d -> d.level() == level).toList();
      if (ofLevel.isEmpty()) {
        continue;
      }
      List<Delta> missing = update(tx, level, ofLevel);
      if (missing.isEmpty()) {
        continue;
      }
      List<Delta> raced = insert(tx, level, missing);
      if (!raced.isEmpty() && !update(tx, level, raced).isEmpty()) {
        throw new IllegalStateException("a rollup row vanished while it was being added to");
      }
    }
  }

  /** Updates the rows that exist; returns the deltas whose row does not. */
  private static List<Delta> update(Tx tx, Level level, List<Delta> deltas) {
    String sql =
        "UPDATE "
            + level.table()
            + " SET events = events + ?, quantity = quantity + ?, cost_usd = cost_usd + ?"
            + " WHERE tenant_id = ? AND bucket = ? AND event_type = ? AND workflow = ? AND env = ?";
    return batch(tx, sql, deltas, true);
  }

  /** Inserts new rows; returns the deltas whose row a concurrent transaction inserted first. */
  private static List<Delta> insert(Tx tx, Level level, List<Delta> deltas) {
    String sql =
        "INSERT INTO "
            + level.table()
            + " (events, quantity, cost_usd, tenant_id, bucket, event_type, workflow, env)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    return batch(tx, sql, deltas, false);
  }

  private static List<Delta> batch(Tx tx, String sql, List<Delta> deltas, boolean update) {
    try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
      for (Delta d : deltas) {
        ps.setLong(1, d.events());
        ps.setLong(2, d.quantity());
        ps.setBigDecimal(3, d.costUsd());
        ps.setString(4, d.tenant().value());
        EventTable.setInstant(ps, 5, d.bucket());
        ps.setString(6, d.type().wire());
        ps.setString(7, d.workflow());
        ps.setString(8, d.env());
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      List<Delta> untouched = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          untouched.add(deltas.get(i));
        }
      }
      return untouched;
    } catch (SQLException e) {
      throw new StoreException(
          (update ? "cannot update" : "cannot insert") + " usage rollups: " + e.getMessage(), e);
    }
  }

  /**
   * Summed usage grouped as asked.
   *
   * @param bucket the UTC day the amounts fall in when grouped by day (for amounts still pending,
   *     their minute: {@link UsageSummary} adds those to their day), else null
   */
  public record Sum(
      EventType type,
      String workflow,
      String env,
      Instant bucket,
      long events,
      long quantity,
      BigDecimal costUsd) {}

  /**
   * Sums the buckets of {@code segments} and the pending amounts of the whole window {@code [from,
   * to)} by event type and, as asked, workflow, env and day (fields not grouped by are null), in
   * one statement: one snapshot, so an amount the folder moves from pending into the rollups
   * meanwhile counts exactly once.
   *
   * <p>The statement returns about one row per group and day, not one per rollup row: an hour or
   * minute segment lies within one day ({@link Windows}), so it is labelled with that day as a
   * parameter and the database adds its rows into the day's; only the day table's own bucket is
   * read per row. Each part selects only the columns grouped by, so a summary without groups
   * carries no workflow, env or bucket through the union.
   */
  public static List<Sum> sum(
      Tx tx,
      TenantId tenant,
      List<Windows.Segment> segments,
      Instant from,
      Instant to,
      boolean byWorkflow,
      boolean byEnv,
      boolean byDay) {
    StringBuilder keys = new StringBuilder("event_type");
    if (byWorkflow) {
      keys.append(", workflow");
    }
    if (byEnv) {
      keys.append(", env");
    }
    String where = " WHERE tenant_id = ? AND bucket >= ? AND bucket < ?";
    String amounts = ", events, quantity, cost_usd FROM ";
    List<String> parts = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    for (Windows.Segment segment : segments) {
      java.util.Optional<Instant> day = Windows.dayOf(segment);
      String label = "";
      if (byDay) {
        label =
            day.isPresent()
                ? ", CAST(? AS TIMESTAMP WITH TIME ZONE) AS day_start"
                : ", bucket AS day_start";
        day.ifPresent(args::add);
      }
      parts.add("SELECT " + keys + label + amounts + segment.level().table() + where);
      args.addAll(List.of(tenant.value(), segment.from(), segment.to()));
    }
    parts.add(
        "SELECT "
            + keys
            + (byDay ? ", bucket AS day_start" : "")
            + amounts
            + "metering_pending"
            + where);
    args.addAll(List.of(tenant.value(), from, to));
    String groups = keys + (byDay ? ", day_start" : "");
    String sql =
        "SELECT "
            + groups
            + ", SUM(events) AS events, SUM(quantity) AS quantity, SUM(cost_usd) AS cost_usd FROM ("
            + String.join(" UNION ALL ", parts)
            + ") u GROUP BY "
            + groups;
    if (tx.dialect() != Dialect.POSTGRESQL) {
      return query(tx, sql, args, byWorkflow, byEnv, byDay);
    }
    // A summary reads a few thousand rollup rows. PostgreSQL's planner nevertheless chose parallel
    // plans for it at 10 million events (Gather Merge over a Parallel Append): starting the
    // workers took 100 ms and more on a loaded machine, for 6 ms of work. So the statement runs
    // without parallel workers, and the transaction's setting is put back after it.
    String prior =
        tx.queryOne(
                "SELECT current_setting('max_parallel_workers_per_gather') AS prior,"
                    + " set_config('max_parallel_workers_per_gather', '0', true) AS now",
                rs -> rs.getString("prior"))
            .orElseThrow();
    // Not in a finally: after a failed statement the transaction can only roll back, which
    // restores the setting as well.
    List<Sum> sums = query(tx, sql, args, byWorkflow, byEnv, byDay);
    tx.queryOne(
        "SELECT set_config('max_parallel_workers_per_gather', ?, true) AS now",
        rs -> rs.getString("now"),
        prior);
    return sums;
  }

  private static List<Sum> query(
      Tx tx, String sql, List<Object> args, boolean byWorkflow, boolean byEnv, boolean byDay) {
    return tx.query(
        sql,
        rs ->
            new Sum(
                EventType.ofWire(rs.getString("event_type")),
                byWorkflow ? rs.getString("workflow") : null,
                byEnv ? rs.getString("env") : null,
                byDay ? Tx.instant(rs, "day_start") : null,
                rs.getLong("events"),
                rs.getLong("quantity"),
                rs.getBigDecimal("cost_usd")),
        args.toArray());
  }
}
