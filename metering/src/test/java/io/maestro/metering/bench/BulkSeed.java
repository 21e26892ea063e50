package io.maestro.metering.bench;

import io.maestro.core.TenantId;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.Metering;
import io.maestro.metering.StoredEvent;
import io.maestro.store.Database;
import io.maestro.store.Dialect;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postgresql.PGConnection;

/**
 * Writes one tenant's seeded events straight into the metering tables in bulk (JDBC batches on H2,
 * {@code COPY} on PostgreSQL): the events with the ids and cost lines {@link Metering#price} gives
 * them, and the minute, hour and day rollups summed exactly as {@link Metering#recordAll} sums
 * them. Only the benchmark does this, to seed 10 million events in minutes instead of hours; the
 * rows are the ones the production write path would have produced.
 */
final class BulkSeed {
  private static final int CHUNK = 20_000;
  private static final String EVENT_COLUMNS =
      "event_id, event_type, idempotency_key, occurred_at, tenant_id, env, actor_type,"
          + " workflow_type, workflow, version, run_id, subject, quantity, unit, resource_class,"
          + " sku, price_book, cost_usd";
  private static final String ROLLUP_COLUMNS =
      "tenant_id, bucket, event_type, workflow, env, events, quantity, cost_usd";
  private static final Map<String, ChronoUnit> LEVELS =
      Map.of(
          "metering_usage_minute", ChronoUnit.MINUTES,
          "metering_usage_hour", ChronoUnit.HOURS,
          "metering_usage_day", ChronoUnit.DAYS);

  private BulkSeed() {}

  private record Key(Instant bucket, String type, String workflow, String env)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = bucket.compareTo(o.bucket);
      c = c != 0 ? c : type.compareTo(o.type);
      c = c != 0 ? c : workflow.compareTo(o.workflow);
      return c != 0 ? c : env.compareTo(o.env);
    }
  }

  private static final class Sum {
    long events;
    long quantity;
    BigDecimal cost = BigDecimal.ZERO;
  }

  /** Writes the tenant's events (in time order) and their rollups. */
  static void write(Database db, Metering metering, TenantId tenant, List<MeteredEvent> events) {
    for (int from = 0; from < events.size(); from += CHUNK) {
      List<StoredEvent> chunk =
          events.subList(from, Math.min(events.size(), from + CHUNK)).stream()
              .map(metering::price)
              .toList();
      db.useTransaction(TenantScope.platform(), tx -> insertEvents(tx, chunk));
    }
    for (Map.Entry<String, ChronoUnit> level : LEVELS.entrySet()) {
      Map<Key, Sum> sums = new TreeMap<>();
      for (MeteredEvent e : events) {
        StoredEvent priced = metering.price(e);
        Sum s =
            sums.computeIfAbsent(
                new Key(
                    e.time().truncatedTo(level.getValue()),
                    e.type().wire(),
                    e.workflow().name(),
                    e.env()),
                k -> new Sum());
        s.events++;
        s.quantity += e.quantity();
        s.cost = s.cost.add(priced.cost().usd());
      }
      db.useTransaction(
          TenantScope.platform(), tx -> insertRollups(tx, level.getKey(), tenant, sums));
    }
  }

  private static void insertEvents(Tx tx, List<StoredEvent> rows) {
    if (tx.dialect() == Dialect.POSTGRESQL) {
      StringBuilder csv = new StringBuilder(rows.size() * 200);
      for (StoredEvent s : rows) {
        MeteredEvent e = s.event();
        csvLine(
            csv,
            s.id(),
            e.type().wire(),
            e.idempotencyKey(),
            e.time().toString(),
            e.tenant().value(),
            e.env(),
            e.actorType().wire(),
            e.workflow().type(),
            e.workflow().name(),
            e.workflow().version(),
            e.workflow().runId(),
            e.subject(),
            Long.toString(e.quantity()),
            e.type().unit(),
            e.resourceClass(),
            s.cost().sku(),
            s.cost().priceBook(),
            s.cost().usd().toPlainString());
      }
      copy(tx, "metering_events (" + EVENT_COLUMNS + ")", csv);
      return;
    }
    String sql = "INSERT INTO metering_events (" + EVENT_COLUMNS + ") VALUES (" + marks(18) + ")";
    try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
      for (StoredEvent s : rows) {
        io.maestro.metering.internal.EventTable.bind(ps, s);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seed events: " + e.getMessage(), e);
    }
  }

  private static void insertRollups(Tx tx, String table, TenantId tenant, Map<Key, Sum> sums) {
    if (tx.dialect() == Dialect.POSTGRESQL) {
      StringBuilder csv = new StringBuilder(sums.size() * 100);
      sums.forEach(
          (k, s) ->
              csvLine(
                  csv,
                  tenant.value(),
                  k.bucket().toString(),
                  k.type(),
                  k.workflow(),
                  k.env(),
                  Long.toString(s.events),
                  Long.toString(s.quantity),
                  s.cost.toPlainString()));
      copy(tx, table + " (" + ROLLUP_COLUMNS + ")", csv);
      return;
    }
    String sql = "INSERT INTO " + table + " (" + ROLLUP_COLUMNS + ") VALUES (" + marks(8) + ")";
    try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
      int n = 0;
      for (Map.Entry<Key, Sum> r : sums.entrySet()) {
        Key k = r.getKey();
        Sum s = r.getValue();
        ps.setString(1, tenant.value());
        ps.setObject(
            2, OffsetDateTime.ofInstant(k.bucket(), ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setString(3, k.type());
        ps.setString(4, k.workflow());
        ps.setString(5, k.env());
        ps.setLong(6, s.events);
        ps.setLong(7, s.quantity);
        ps.setBigDecimal(8, s.cost);
        ps.addBatch();
        if (++n % CHUNK == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seed " + table + ": " + e.getMessage(), e);
    }
  }

  private static void copy(Tx tx, String target, StringBuilder csv) {
    try {
      Connection c = tx.connection();
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn("COPY " + target + " FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot seed " + target + ": " + e.getMessage(), e);
    }
  }

  private static void csvLine(StringBuilder sb, String... cells) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(cells[i].replace("\"", "\"\"")).append('"');
    }
    sb.append('\n');
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }
}
