package io.maestro.server.tenancy;

import io.maestro.core.TenantId;
import io.maestro.server.auth.UsageSource;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.Usage;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;

/**
 * Reads a tenant's usage from the engine's and provenance's tables, under the tenant's own scope:
 * runs not yet finished, steps started in the last minute, and receipts not yet covered by a signed
 * checkpoint. One short read-only transaction, only for actions that consume capacity. Spend is not
 * metered yet (the metering module will provide it) and reads as zero.
 */
public final class SqlUsage implements UsageSource {
  private final Database db;
  private final Clock clock;

  public SqlUsage(Database db) {
    this(db, Clock.systemUTC());
  }

  public SqlUsage(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Usage usage(TenantId tenant) {
    Instant minuteAgo = clock.instant().minusSeconds(60);
    String t = tenant.value();
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          int runs =
              tx.queryOne(
                      "SELECT count(*) AS n FROM engine_runs WHERE tenant_id = ?"
                          + " AND status IN ('PENDING', 'RUNNING')",
                      rs -> rs.getInt("n"),
                      t)
                  .orElse(0);
          int steps =
              tx.queryOne(
                      "SELECT count(*) AS n FROM engine_steps WHERE tenant_id = ? AND started_at > ?",
                      rs -> rs.getInt("n"),
                      t,
                      minuteAgo)
                  .orElse(0);
          long logSize =
              tx.queryOne(
                      "SELECT size FROM provenance_log WHERE tenant_id = ?",
                      rs -> rs.getLong("size"),
                      t)
                  .orElse(0L);
          long signed =
              tx.queryOne(
                      "SELECT COALESCE(MAX(size), 0) AS s FROM provenance_checkpoint WHERE tenant_id = ?",
                      rs -> rs.getLong("s"),
                      t)
                  .orElse(0L);
          long storage =
              tx.queryOne(
                      "SELECT COALESCE(SUM(output_bytes), 0) AS b FROM engine_runs WHERE tenant_id = ?",
                      rs -> rs.getLong("b"),
                      t)
                  .orElse(0L);
          return new Usage(runs, steps, Math.max(0, logSize - signed), BigDecimal.ZERO, storage);
        });
  }
}
