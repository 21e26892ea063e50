package io.maestro.metering.bench;

import io.maestro.core.TenantId;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.Metering;
import io.maestro.metering.StoredEvent;
import io.maestro.metering.internal.EventTable;
import io.maestro.metering.internal.SpendTable;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;
import org.postgresql.PGConnection;

/**
 * Writes seeded events straight into the metering tables in bulk: the events with the ids and cost
 * lines {@link Metering#price} gives them, and the minute, hour and day rollups and the spend
 * counters summed exactly as {@link Metering#recordAll} and {@link Metering#fold} sum them (a test,
 * {@code BulkSeedContract}, compares the two on a sample). Only the benchmark does this, to seed 10
 * million events in minutes instead of hours.
 *
 * <p>One thread generates and prices a tenant's events and sums its rollups while others write the
 * previous tenants. PostgreSQL takes each table's rows with {@code COPY} from two writers. H2 takes
 * them in large JDBC batches, one tenant at a time in key order (every primary key grows at its
 * end), the events, the minute rollups and the other rollups on three threads (different tables).
 * The events' secondary indexes stay in place: dropping them for the load and creating them again
 * after it was tried, and H2 had not created them for 2.8 million events after 11 minutes.
 */
final class BulkSeed {
  private static final int CHUNK = 50_000;
  private static final int BATCH = 5_000;
  private static final String EVENT_COLUMNS =
      "event_id, event_type, idempotency_key, occurred_at, tenant_id, env, actor_type,"
          + " workflow_type, workflow, version, run_id, subject, quantity, unit, resource_class,"
          + " sku, price_book, cost_usd";
  private static final String ROLLUP_COLUMNS =
      "tenant_id, bucket, event_type, workflow, env, events, quantity, cost_usd";
  private static final Map<String, ChronoUnit> LEVELS = new LinkedHashMap<>();

  static {
    LEVELS.put("metering_usage_minute", ChronoUnit.MINUTES);
    LEVELS.put("metering_usage_hour", ChronoUnit.HOURS);
    LEVELS.put("metering_usage_day", ChronoUnit.DAYS);
  }

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

  /** One tenant's rows, ready to write. */
  private record Load(
      TenantId tenant,
      List<StoredEvent> events,
      Map<String, Map<Key, Sum>> rollups,
      Map<SpendTable.Bucket, BigDecimal> spend) {}

  /**
   * Seeds tenants {@code 0..tenants-1} into empty metering tables, {@code eventsOf} giving each
   * tenant's events in time order; {@code done} is told each tenant written. The first {@code
   * generated} tenants are generated and written; the others (H2 only) are copies of tenant 0 made
   * inside the database ({@link TenantCopy}), which are what the generator gives them only if it
   * gives every tenant the same events but for the tenant id.
   */
  static void seed(
      Database db,
      Metering metering,
      int tenants,
      int generated,
      IntFunction<List<MeteredEvent>> eventsOf,
      IntFunction<TenantId> tenantOf,
      Runnable done)
      throws Exception {
    if (generated < 1 || generated > tenants) {
      throw new IllegalArgumentException("generated must be 1.." + tenants + ": " + generated);
    }
    write(db, metering, generated, eventsOf, tenantOf, done);
    if (generated == tenants) {
      return;
    }
    TenantCopy.declare(db);
    ExecutorService tables = Executors.newFixedThreadPool(2);
    try {
      for (int t = generated; t < tenants; t++) {
        TenantCopy.copy(db, tenantOf.apply(0), tenantOf.apply(t), tables);
        done.run();
      }
    } finally {
      tables.shutdownNow();
      TenantCopy.undeclare(db);
    }
  }

  private static void write(
      Database db,
      Metering metering,
      int tenants,
      IntFunction<List<MeteredEvent>> eventsOf,
      IntFunction<TenantId> tenantOf,
      Runnable done)
      throws Exception {
    boolean h2 = db.dialect() == Dialect.H2;
    // H2: one tenant at a time, so every primary key grows at its end, its events and rollups
    // written side by side on three threads. PostgreSQL: two tenants at a time, each COPY in its
    // own backend.
    int writers = h2 ? 1 : 2;
    ExecutorService generator = Executors.newSingleThreadExecutor();
    ExecutorService writer = Executors.newFixedThreadPool(writers);
    ExecutorService tables = Executors.newFixedThreadPool(2);
    Semaphore ahead = new Semaphore(writers + 1);
    try {
      List<Future<?>> written = new ArrayList<>();
      for (int t = 0; t < tenants; t++) {
        int i = t;
        ahead.acquire();
        Future<Load> load =
            generator.submit(() -> prepare(metering, tenantOf.apply(i), eventsOf.apply(i)));
        written.add(
            writer.submit(
                () -> {
                  try {
                    if (h2) {
                      writeInParallel(db, load.get(), tables);
                    } else {
                      write(db, load.get());
                    }
                    done.run();
                  } finally {
                    ahead.release();
                  }
                  return null;
                }));
      }
      for (Future<?> f : written) {
        f.get();
      }
    } finally {
      generator.shutdownNow();
      writer.shutdownNow();
      tables.shutdownNow();
    }
  }

  /** Seeds one tenant's events (in time order) into tables that do not hold the tenant yet. */
  static void write(Database db, Metering metering, TenantId tenant, List<MeteredEvent> events) {
    write(db, prepare(metering, tenant, events));
  }

  /** Prices the events once and sums them per rollup bucket and spend counter. */
  private static Load prepare(Metering metering, TenantId tenant, List<MeteredEvent> events) {
    List<StoredEvent> priced = new ArrayList<>(events.size());
    Map<String, Map<Key, Sum>> rollups = new LinkedHashMap<>();
    LEVELS.keySet().forEach(table -> rollups.put(table, new TreeMap<>()));
    Map<SpendTable.Bucket, BigDecimal> spend = new TreeMap<>();
    for (MeteredEvent e : events) {
      StoredEvent s = metering.price(e);
      priced.add(s);
      BigDecimal usd = s.cost().usd();
      for (Map.Entry<String, ChronoUnit> level : LEVELS.entrySet()) {
        Key k =
            new Key(
                e.time().truncatedTo(level.getValue()),
                e.type().wire(),
                e.workflow().name(),
                e.env());
        Sum sum = rollups.get(level.getKey()).computeIfAbsent(k, x -> new Sum());
        sum.events++;
        sum.quantity += e.quantity();
        sum.cost = sum.cost.add(usd);
      }
      spend.merge(
          new SpendTable.Bucket(SpendTable.DAY, SpendTable.day(e.time())), usd, BigDecimal::add);
      spend.merge(
          new SpendTable.Bucket(SpendTable.MONTH, SpendTable.month(e.time())),
          usd,
          BigDecimal::add);
    }
    return new Load(tenant, priced, rollups, spend);
  }

  /**
   * Writes the events, the minute rollups and the other rollups on three threads: they go to
   * different tables, which H2 updates independently.
   */
  private static void writeInParallel(Database db, Load load, ExecutorService tables)
      throws Exception {
    Future<?> events = tables.submit(() -> writeEvents(db, load));
    Future<?> minutes = tables.submit(() -> writeRollups(db, load, "metering_usage_minute"));
    writeRollups(db, load, "metering_usage_hour");
    writeRollups(db, load, "metering_usage_day");
    writeSpend(db, load);
    events.get();
    minutes.get();
  }

  private static void write(Database db, Load load) {
    writeEvents(db, load);
    LEVELS.keySet().forEach(table -> writeRollups(db, load, table));
    writeSpend(db, load);
  }

  private static void writeEvents(Database db, Load load) {
    List<StoredEvent> events = load.events();
    for (int from = 0; from < events.size(); from += CHUNK) {
      List<StoredEvent> chunk = events.subList(from, Math.min(events.size(), from + CHUNK));
      db.useTransaction(TenantScope.platform(), tx -> insertEvents(tx, chunk));
    }
  }

  private static void writeRollups(Database db, Load load, String table) {
    List<Map.Entry<Key, Sum>> rows = new ArrayList<>(load.rollups().get(table).entrySet());
    for (int from = 0; from < rows.size(); from += CHUNK) {
      List<Map.Entry<Key, Sum>> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
      db.useTransaction(
          TenantScope.platform(), tx -> insertRollups(tx, table, load.tenant(), chunk));
    }
  }

  private static void writeSpend(Database db, Load load) {
    db.useTransaction(
        TenantScope.platform(), tx -> SpendTable.add(tx, load.tenant(), load.spend()));
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
      int n = 0;
      for (StoredEvent s : rows) {
        EventTable.bind(ps, s);
        ps.addBatch();
        if (++n % BATCH == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seed events: " + e.getMessage(), e);
    }
  }

  private static void insertRollups(
      Tx tx, String table, TenantId tenant, List<Map.Entry<Key, Sum>> rows) {
    if (tx.dialect() == Dialect.POSTGRESQL) {
      StringBuilder csv = new StringBuilder(rows.size() * 100);
      for (Map.Entry<Key, Sum> r : rows) {
        Key k = r.getKey();
        Sum s = r.getValue();
        csvLine(
            csv,
            tenant.value(),
            k.bucket().toString(),
            k.type(),
            k.workflow(),
            k.env(),
            Long.toString(s.events),
            Long.toString(s.quantity),
            s.cost.toPlainString());
      }
      copy(tx, table + " (" + ROLLUP_COLUMNS + ")", csv);
      return;
    }
    String sql = "INSERT INTO " + table + " (" + ROLLUP_COLUMNS + ") VALUES (" + marks(8) + ")";
    try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
      int n = 0;
      for (Map.Entry<Key, Sum> r : rows) {
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
        if (++n % BATCH == 0) {
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
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
