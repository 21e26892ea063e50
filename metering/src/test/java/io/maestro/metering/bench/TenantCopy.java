package io.maestro.metering.bench;

import io.maestro.core.TenantId;
import io.maestro.metering.ActorType;
import io.maestro.metering.EventType;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.Metering;
import io.maestro.metering.WorkflowRef;
import io.maestro.store.Database;
import io.maestro.store.Dialect;
import io.maestro.store.TenantScope;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Copies a seeded tenant's metering rows to another tenant inside H2, one {@code INSERT … SELECT}
 * per table: the events (with the event id derived again for the new tenant by {@link
 * Metering#eventId}, called from SQL, and a new outbox position in the source's order), the minute,
 * hour and day rollups and the spend counters, with the tenant id rewritten. That is the rows
 * {@link BulkSeed} would have written for the new tenant only while the generator gives every
 * tenant the same events but for the tenant id, and the metering prices every tenant alike ({@code
 * BulkSeedContract} compares a copied tenant with one written through {@link Metering#recordAll}).
 * The rows never leave the database, so a copied tenant costs H2's own per-row work only, not the
 * generation, pricing, summing and JDBC binding of {@link BulkSeed}. Public, as H2 calls {@link
 * #eventId} by reflection.
 */
public final class TenantCopy {
  static final String EVENT_ID = "bench_event_id";

  private static final String EVENT_COLUMNS =
      "event_type, idempotency_key, occurred_at, env, actor_type, workflow_type, workflow,"
          + " version, run_id, subject, quantity, unit, resource_class, sku, price_book, cost_usd";
  private static final String ROLLUP_COLUMNS =
      "bucket, event_type, workflow, env, events, quantity, cost_usd";

  private TenantCopy() {}

  /**
   * The event id {@link Metering#eventId} gives an event of this tenant, type and key (for SQL).
   */
  public static String eventId(String tenant, String type, String idempotencyKey) {
    return Metering.eventId(
        MeteredEvent.of(
            EventType.ofWire(type),
            idempotencyKey,
            Instant.EPOCH,
            TenantId.of(tenant),
            "-",
            ActorType.SYSTEM,
            WorkflowRef.NONE,
            "-",
            0));
  }

  /** Declares {@link #eventId} to H2 for the load. */
  static void declare(Database db) {
    requireH2(db);
    db.useTransaction(
        TenantScope.platform(),
        tx ->
            tx.update(
                "CREATE ALIAS IF NOT EXISTS "
                    + EVENT_ID
                    + " DETERMINISTIC FOR '"
                    + TenantCopy.class.getName()
                    + ".eventId'"));
  }

  /** Removes the alias {@link #declare} made, so the database does not need this class. */
  static void undeclare(Database db) {
    db.useTransaction(TenantScope.platform(), tx -> tx.update("DROP ALIAS IF EXISTS " + EVENT_ID));
  }

  /**
   * Copies every row of {@code from} to {@code to}, which has none yet; the events, the minute
   * rollups and the other tables on three threads (different tables), each table in one
   * transaction.
   */
  static void copy(Database db, TenantId from, TenantId to, ExecutorService tables)
      throws Exception {
    requireH2(db);
    Future<?> events = tables.submit(() -> copyEvents(db, from, to));
    Future<?> minutes = tables.submit(() -> copyRollups(db, "metering_usage_minute", from, to));
    copyRollups(db, "metering_usage_hour", from, to);
    copyRollups(db, "metering_usage_day", from, to);
    copyTable(db, "metering_spend", "period, bucket, cost_usd", "period, bucket", from, to);
    events.get();
    minutes.get();
  }

  private static void copyEvents(Database db, TenantId from, TenantId to) {
    db.useTransaction(
        TenantScope.platform(),
        tx ->
            tx.update(
                "INSERT INTO metering_events (tenant_id, event_id, "
                    + EVENT_COLUMNS
                    + ") SELECT ?, "
                    + EVENT_ID
                    + "(?, event_type, idempotency_key), "
                    + EVENT_COLUMNS
                    + " FROM metering_events WHERE tenant_id = ? ORDER BY seq",
                to.value(),
                to.value(),
                from.value()));
  }

  private static void copyRollups(Database db, String table, TenantId from, TenantId to) {
    copyTable(db, table, ROLLUP_COLUMNS, "bucket, event_type, workflow, env", from, to);
  }

  private static void copyTable(
      Database db, String table, String columns, String key, TenantId from, TenantId to) {
    db.useTransaction(
        TenantScope.platform(),
        tx ->
            tx.update(
                "INSERT INTO "
                    + table
                    + " (tenant_id, "
                    + columns
                    + ") SELECT ?, "
                    + columns
                    + " FROM "
                    + table
                    + " WHERE tenant_id = ? ORDER BY "
                    + key,
                to.value(),
                from.value()));
  }

  private static void requireH2(Database db) {
    if (db.dialect() != Dialect.H2) {
      throw new IllegalArgumentException("tenant copies are for H2 only: " + db.dialect());
    }
  }
}
