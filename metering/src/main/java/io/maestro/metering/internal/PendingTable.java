package io.maestro.metering.internal;

import io.maestro.core.TenantId;
import io.maestro.metering.EventType;
import io.maestro.store.StoreException;
import io.maestro.store.Tx;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * SQL for {@code metering_pending}: amounts recorded with their actions but not yet folded into the
 * rollups and spend counters. Inserting never touches a row another transaction holds; the folder
 * claims rows with {@code FOR UPDATE SKIP LOCKED}, so several folders (one per server) never fold a
 * row twice.
 */
public final class PendingTable {
  private PendingTable() {}

  /** One pending amount: a minute bucket of one type, workflow and environment. */
  public record Row(
      long id,
      TenantId tenant,
      Instant bucket,
      EventType type,
      String workflow,
      String env,
      long events,
      long quantity,
      BigDecimal costUsd) {}

  /** Inserts the amounts (their ids are ignored) in one batch. */
  public static void insert(Tx tx, List<Row> rows) {
    if (rows.isEmpty()) {
      return;
    }
    String sql =
        "INSERT INTO metering_pending (tenant_id, bucket, event_type, workflow, env, events,"
            + " quantity, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
      for (Row r : rows) {
        ps.setString(1, r.tenant().value());
        EventTable.setInstant(ps, 2, r.bucket());
        ps.setString(3, r.type().wire());
        ps.setString(4, r.workflow());
        ps.setString(5, r.env());
        ps.setLong(6, r.events());
        ps.setLong(7, r.quantity());
        ps.setBigDecimal(8, r.costUsd());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new StoreException("cannot record metered amounts: " + e.getMessage(), e);
    }
  }

  /**
   * Locks and returns up to {@code limit} pending rows, oldest first, skipping rows another folder
   * holds.
   */
  public static List<Row> claim(Tx tx, int limit) {
    return tx.query(
        "SELECT id, tenant_id, bucket, event_type, workflow, env, events, quantity, cost_usd"
            + " FROM metering_pending ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
        rs ->
            new Row(
                rs.getLong("id"),
                TenantId.of(rs.getString("tenant_id")),
                Tx.instant(rs, "bucket"),
                EventType.ofWire(rs.getString("event_type")),
                rs.getString("workflow"),
                rs.getString("env"),
                rs.getLong("events"),
                rs.getLong("quantity"),
                rs.getBigDecimal("cost_usd")),
        limit);
  }

  /** The most ids one delete names. */
  private static final int DELETE_CHUNK = 500;

  /** Deletes folded rows: one statement per tenant (and per {@value #DELETE_CHUNK} rows). */
  public static void delete(Tx tx, List<Row> rows) {
    java.util.Map<TenantId, List<Long>> ids = new java.util.LinkedHashMap<>();
    for (Row r : rows) {
      ids.computeIfAbsent(r.tenant(), t -> new java.util.ArrayList<>()).add(r.id());
    }
    ids.forEach(
        (tenant, all) -> {
          for (int from = 0; from < all.size(); from += DELETE_CHUNK) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + DELETE_CHUNK));
            List<Object> args = new java.util.ArrayList<>(chunk.size() + 1);
            args.add(tenant.value());
            args.addAll(chunk);
            tx.update(
                "DELETE FROM metering_pending WHERE tenant_id = ? AND id IN ("
                    + String.join(",", java.util.Collections.nCopies(chunk.size(), "?"))
                    + ")",
                args.toArray());
          }
        });
  }

  /** How many amounts wait to be folded (all tenants the transaction's scope sees). */
  public static long count(Tx tx) {
    return tx.queryOne("SELECT COUNT(*) AS n FROM metering_pending", rs -> rs.getLong("n"))
        .orElse(0L);
  }
}
