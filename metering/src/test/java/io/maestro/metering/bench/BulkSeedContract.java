package io.maestro.metering.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.TenantId;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.Metering;
import io.maestro.metering.RollupFolder;
import io.maestro.metering.UsageQuery;
import io.maestro.metering.UsageReport;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's bulk seed writes exactly the rows the production write path writes: the same
 * sample of events, once through {@link Metering#recordAll} and the {@link RollupFolder} and once
 * through {@link BulkSeed}, leaves the same events (all but their outbox position), rollups and
 * spend counters, and the same usage summaries. On H2 the same holds for tenants {@link BulkSeed}
 * copies inside the database from tenant 0 ({@link TenantCopy}) instead of writing them.
 */
abstract class BulkSeedContract {
  abstract Backend backend();

  static final int TENANTS = 3;
  static final int PER_TENANT = 2_000;

  /** Each table with the columns that order its rows completely. */
  static final Map<String, String> TABLES =
      Map.of(
          "metering_events", "tenant_id, event_type, idempotency_key",
          "metering_usage_minute", "tenant_id, bucket, event_type, workflow, env",
          "metering_usage_hour", "tenant_id, bucket, event_type, workflow, env",
          "metering_usage_day", "tenant_id, bucket, event_type, workflow, env",
          "metering_spend", "tenant_id, period, bucket");

  static List<MeteredEvent> sample(int tenant) {
    return UsageSummaryBenchmark.events(UsageSummaryBenchmark.tenantId(tenant), PER_TENANT);
  }

  @Test
  void bulkSeed_writesWhatTheWritePathWrites() throws Exception {
    assertSeedWritesWhatTheWritePathWrites(TENANTS);
  }

  /**
   * Writes {@link #TENANTS} tenants' {@link #sample} through {@link Metering#recordAll} and the
   * {@link RollupFolder} into one database and through {@link BulkSeed} (generating the first
   * {@code generated} tenants, copying tenant 0 to the others) into another, and compares every row
   * of the five tables and every tenant's usage summaries.
   */
  void assertSeedWritesWhatTheWritePathWrites(int generated) throws Exception {
    Metering metering = Metering.standard();
    try (TestDatabase written = backend().open();
        TestDatabase seeded = backend().open()) {
      Database db = written.database();
      for (int t = 0; t < TENANTS; t++) {
        List<MeteredEvent> events = sample(t);
        TenantId tenant = UsageSummaryBenchmark.tenantId(t);
        for (int from = 0; from < events.size(); from += 500) {
          List<MeteredEvent> batch = events.subList(from, Math.min(events.size(), from + 500));
          db.useTransaction(TenantScope.of(tenant), tx -> metering.recordAll(tx, batch));
        }
      }
      new RollupFolder(db, metering, Duration.ofSeconds(1)).foldAll();

      BulkSeed.seed(
          seeded.database(),
          metering,
          TENANTS,
          generated,
          BulkSeedContract::sample,
          UsageSummaryBenchmark::tenantId,
          () -> {});

      for (Map.Entry<String, String> table : TABLES.entrySet()) {
        List<String> expected = dump(db, table.getKey(), table.getValue());
        assertThat(expected).as(table.getKey()).hasSizeGreaterThan(TENANTS);
        assertThat(dump(seeded.database(), table.getKey(), table.getValue()))
            .as(table.getKey())
            .isEqualTo(expected);
      }
      Instant to =
          UsageSummaryBenchmark.START.plus(Duration.ofDays(30)).plusSeconds(13 * 3600 + 420);
      for (int t = 0; t < TENANTS; t++) {
        for (String groupBy : new String[] {"", "workflow,env"}) {
          UsageQuery q =
              UsageQuery.parse(
                  UsageSummaryBenchmark.tenantId(t),
                  to.minus(Duration.ofDays(30)).toString(),
                  to.toString(),
                  groupBy,
                  groupBy.isEmpty() ? "" : "day");
          UsageReport fromWritePath =
              db.inTransaction(TenantScope.of(q.tenant()), tx -> metering.usage(tx, q));
          UsageReport fromSeed =
              seeded
                  .database()
                  .inTransaction(TenantScope.of(q.tenant()), tx -> metering.usage(tx, q));
          assertThat(fromSeed).as(q.tenant() + " " + groupBy).isEqualTo(fromWritePath);
        }
      }
    }
  }

  /** Every row of the table but the outbox position, as text, in key order. */
  static List<String> dump(Database db, String table, String order) {
    return db.inTransaction(
        TenantScope.platform(),
        tx -> {
          List<String> rows = new ArrayList<>();
          try (ResultSet rs =
              tx.connection()
                  .createStatement()
                  .executeQuery("SELECT * FROM " + table + " ORDER BY " + order)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
              StringBuilder row = new StringBuilder();
              for (int c = 1; c <= meta.getColumnCount(); c++) {
                String name = meta.getColumnName(c).toLowerCase(java.util.Locale.ROOT);
                if (name.equals("seq")) {
                  continue;
                }
                Object v =
                    name.equals("bucket") || name.equals("occurred_at")
                        ? rs.getObject(c, OffsetDateTime.class).toInstant()
                        : rs.getObject(c);
                row.append(name).append('=').append(v).append(' ');
              }
              rows.add(row.toString());
            }
          }
          return rows;
        });
  }
}
