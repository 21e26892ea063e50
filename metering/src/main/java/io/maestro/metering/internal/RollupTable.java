package io.maestro.metering.internal;

import io.maestro.core.TenantId;
import io.maestro.metering.EventType;
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

  /** Summed usage of one level's buckets in a segment, grouped as asked. */
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
   * to)} by event type and, as asked, workflow, env and bucket (fields not grouped by are null), in
   * one statement: one snapshot, so an amount the folder moves from pending into the rollups
   * meanwhile counts exactly once.
   */
  public static List<Sum> sum(
      Tx tx,
      TenantId tenant,
      List<Windows.Segment> segments,
      Instant from,
      Instant to,
      boolean byWorkflow,
      boolean byEnv,
      boolean byBucket) {
    StringBuilder keys = new StringBuilder("event_type");
    if (byWorkflow) {
      keys.append(", workflow");
    }
    if (byEnv) {
      keys.append(", env");
    }
    if (byBucket) {
      keys.append(", bucket");
    }
    String part =
        "SELECT event_type, workflow, env, bucket, events, quantity, cost_usd FROM %s"
            + " WHERE tenant_id = ? AND bucket >= ? AND bucket < ?";
    List<String> parts = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    for (Windows.Segment segment : segments) {
      parts.add(part.formatted(segment.level().table()));
      args.addAll(List.of(tenant.value(), segment.from(), segment.to()));
    }
    parts.add(part.formatted("metering_pending"));
    args.addAll(List.of(tenant.value(), from, to));
    String sql =
        "SELECT "
            + keys
            + ", SUM(events) AS events, SUM(quantity) AS quantity, SUM(cost_usd) AS cost_usd FROM ("
            + String.join(" UNION ALL ", parts)
            + ") u GROUP BY "
            + keys;
    return tx.query(
        sql,
        rs ->
            new Sum(
                EventType.ofWire(rs.getString("event_type")),
                byWorkflow ? rs.getString("workflow") : null,
                byEnv ? rs.getString("env") : null,
                byBucket ? Tx.instant(rs, "bucket") : null,
                rs.getLong("events"),
                rs.getLong("quantity"),
                rs.getBigDecimal("cost_usd")),
        args.toArray());
  }
}
