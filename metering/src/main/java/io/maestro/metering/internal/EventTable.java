package io.maestro.metering.internal;

import io.maestro.core.TenantId;
import io.maestro.metering.ActorType;
import io.maestro.metering.EventType;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.StoredEvent;
import io.maestro.metering.WorkflowRef;
import io.maestro.store.StoreException;
import io.maestro.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for {@code metering_events}, the outbox. */
public final class EventTable {
  private static final String COLUMNS =
      "seq, event_id, event_type, idempotency_key, occurred_at, tenant_id, env, actor_type,"
          + " workflow_type, workflow, version, run_id, subject, quantity, resource_class, sku,"
          + " price_book, cost_usd";

  private EventTable() {}

  /**
   * Inserts the events that are not there yet (by tenant, type and idempotency key) in one batch;
   * returns, per event, whether this call inserted it.
   */
  public static boolean[] insertNew(Tx tx, List<StoredEvent> events) {
    String sql =
        "INSERT INTO metering_events (event_id, event_type, idempotency_key, occurred_at,"
            + " tenant_id, env, actor_type, workflow_type, workflow, version, run_id, subject,"
            + " quantity, unit, resource_class, sku, price_book, cost_usd)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
      for (StoredEvent s : events) {
        bind(ps, s);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      boolean[] inserted = new boolean[counts.length];
      for (int i = 0; i < counts.length; i++) {
        inserted[i] = counts[i] > 0;
      }
      return inserted;
    } catch (SQLException e) {
      throw new StoreException("cannot record metered events: " + e.getMessage(), e);
    }
  }

  /** Binds one event to the 18 parameters of an insert in {@code insertNew}'s column order. */
  public static void bind(PreparedStatement ps, StoredEvent s) throws SQLException {
    MeteredEvent e = s.event();
    ps.setString(1, s.id());
    ps.setString(2, e.type().wire());
    ps.setString(3, e.idempotencyKey());
    setInstant(ps, 4, e.time());
    ps.setString(5, e.tenant().value());
    ps.setString(6, e.env());
    ps.setString(7, e.actorType().wire());
    ps.setString(8, e.workflow().type());
    ps.setString(9, e.workflow().name());
    ps.setString(10, e.workflow().version());
    ps.setString(11, e.workflow().runId());
    ps.setString(12, e.subject());
    ps.setLong(13, e.quantity());
    ps.setString(14, e.type().unit());
    ps.setString(15, e.resourceClass());
    ps.setString(16, s.cost().sku());
    ps.setString(17, s.cost().priceBook());
    ps.setBigDecimal(18, s.cost().usd());
  }

  /** Events of one tenant in {@code [from, to)} after {@code afterSeq}, in outbox order. */
  public static List<StoredEvent> page(
      Tx tx,
      TenantId tenant,
      Instant from,
      Instant to,
      Optional<EventType> type,
      long afterSeq,
      int limit) {
    List<Object> args = new ArrayList<>(List.of(tenant.value(), from, to, afterSeq));
    String typeFilter = "";
    if (type.isPresent()) {
      typeFilter = " AND event_type = ?";
      args.add(type.get().wire());
    }
    args.add(limit);
    return tx.query(
        "SELECT "
            + COLUMNS
            + " FROM metering_events WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ?"
            + " AND seq > ?"
            + typeFilter
            + " ORDER BY seq LIMIT ?",
        EventTable::map,
        args.toArray());
  }

  /** Events of one tenant after {@code afterSeq}, in outbox order, at most {@code limit}. */
  public static List<StoredEvent> after(Tx tx, TenantId tenant, long afterSeq, int limit) {
    return tx.query(
        "SELECT "
            + COLUMNS
            + " FROM metering_events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        EventTable::map,
        tenant.value(),
        afterSeq,
        limit);
  }

  /**
   * Deletes the tenant's events that occurred before {@code before} (all when empty) and returns
   * them as purged items (key: the outbox position), each with the digest of its row.
   */
  public static List<io.maestro.core.purge.PurgedItem> purge(
      Tx tx, TenantId tenant, Optional<Instant> before) {
    return purge(tx, tenant, before, Long.MAX_VALUE);
  }

  /** Deletes at most {@code limit} of the tenant's events (the oldest first) before a time. */
  public static List<io.maestro.core.purge.PurgedItem> purge(
      Tx tx, TenantId tenant, Optional<Instant> before, long limit) {
    String where = " WHERE tenant_id = ?" + (before.isPresent() ? " AND occurred_at < ?" : "");
    if (limit != Long.MAX_VALUE) {
      // The batch's last event bounds the delete: events are numbered in outbox order.
      Optional<Long> last =
          tx.queryOne(
              "SELECT MAX(seq) AS s FROM (SELECT seq FROM metering_events"
                  + where
                  + " ORDER BY seq LIMIT "
                  + Math.max(1, limit)
                  + ") b",
              rs -> rs.getObject("s") == null ? -1L : rs.getLong("s"),
              before.isPresent()
                  ? new Object[] {tenant.value(), before.get()}
                  : new Object[] {tenant.value()});
      if (last.orElse(-1L) < 0) {
        return List.of();
      }
      where += " AND seq <= " + last.get();
    }
    Object[] args =
        before.isPresent()
            ? new Object[] {tenant.value(), before.get()}
            : new Object[] {tenant.value()};
    List<io.maestro.core.purge.PurgedItem> items =
        tx.query(
            "SELECT * FROM metering_events" + where + " ORDER BY seq",
            rs ->
                new io.maestro.core.purge.PurgedItem(
                    "metering_events",
                    Long.toString(rs.getLong("seq")),
                    io.maestro.core.purge.RowDigest.of(rs)),
            args);
    int deleted = tx.update("DELETE FROM metering_events" + where, args);
    if (deleted != items.size()) {
      throw new IllegalStateException(
          "metering_events: read " + items.size() + " rows to purge but deleted " + deleted);
    }
    return items;
  }

  /** The outbox position of the tenant's latest event (0 when it has none). */
  public static long lastSeq(Tx tx, TenantId tenant) {
    return tx.queryOne(
            "SELECT MAX(seq) AS s FROM metering_events WHERE tenant_id = ?",
            rs -> rs.getLong("s"),
            tenant.value())
        .orElse(0L);
  }

  /** Every event of one run (its cost lines), in outbox order. */
  public static List<StoredEvent> ofRun(Tx tx, TenantId tenant, String runId) {
    return tx.query(
        "SELECT "
            + COLUMNS
            + " FROM metering_events WHERE tenant_id = ? AND run_id = ? ORDER BY seq",
        EventTable::map,
        tenant.value(),
        runId);
  }

  /** What one run's events cost in all, and without its step time (the run's overhead). */
  public record CostOfRun(java.math.BigDecimal total, java.math.BigDecimal overhead) {
    public CostOfRun plus(CostOfRun o) {
      return new CostOfRun(total.add(o.total), overhead.add(o.overhead));
    }
  }

  /** What one run's events cost, in one read of them ({@code stepType}'s events are step time). */
  public static CostOfRun costAndOverheadOfRun(
      Tx tx, TenantId tenant, String runId, String stepType) {
    return tx.queryOne(
            "SELECT COALESCE(SUM(cost_usd), 0) AS cost, COALESCE(SUM(CASE WHEN event_type = ?"
                + " THEN 0 ELSE cost_usd END), 0) AS overhead FROM metering_events WHERE"
                + " tenant_id = ? AND run_id = ?",
            rs -> new CostOfRun(rs.getBigDecimal("cost"), rs.getBigDecimal("overhead")),
            stepType,
            tenant.value(),
            runId)
        .orElse(new CostOfRun(java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO));
  }

  /** The run_started event of one run, if its start was metered. */
  public static Optional<StoredEvent> runStart(Tx tx, TenantId tenant, String runId) {
    return tx.queryOne(
        "SELECT "
            + COLUMNS
            + " FROM metering_events WHERE tenant_id = ? AND run_id = ? AND event_type = ?",
        EventTable::map,
        tenant.value(),
        runId,
        EventType.RUN_STARTED.wire());
  }

  private static StoredEvent map(ResultSet rs) throws SQLException {
    String workflowType = rs.getString("workflow_type");
    WorkflowRef workflow =
        WorkflowRef.NONE.type().equals(workflowType)
            ? WorkflowRef.NONE
            : new WorkflowRef(
                workflowType,
                rs.getString("workflow"),
                rs.getString("version"),
                rs.getString("run_id"));
    MeteredEvent event =
        new MeteredEvent(
            EventType.ofWire(rs.getString("event_type")),
            rs.getString("idempotency_key"),
            Tx.instant(rs, "occurred_at"),
            TenantId.of(rs.getString("tenant_id")),
            rs.getString("env"),
            ActorType.ofWire(rs.getString("actor_type")),
            workflow,
            rs.getString("subject"),
            rs.getLong("quantity"),
            rs.getString("resource_class"));
    return new StoredEvent(
        rs.getLong("seq"),
        rs.getString("event_id"),
        event,
        new StoredEvent.CostLine(
            rs.getString("sku"), rs.getString("price_book"), rs.getBigDecimal("cost_usd")));
  }

  static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
    ps.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
  }
}
