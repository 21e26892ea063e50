package io.maestro.metering.bench;

import io.maestro.core.TenantId;
import io.maestro.metering.ActorType;
import io.maestro.metering.EventType;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.Metering;
import io.maestro.metering.UsageQuery;
import io.maestro.metering.UsageReport;
import io.maestro.metering.WorkflowRef;
import io.maestro.store.Database;
import io.maestro.store.Migrations;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 30-day usage summary for one tenant among {@code tenants}, after {@code events} metered events
 * were seeded. Seeding writes the events and their rollups in bulk straight into the metering
 * tables ({@link BulkSeed}: the same rows, ids, cost lines and rollup sums {@link
 * Metering#recordAll} produces, without its per-event upserts), so 10 million events take minutes.
 * The goal is p95 below 100 ms (SampleTime mode prints the percentiles).
 *
 * <p>Seeding is slow, so the seeded database is kept and reused while it holds the same number of
 * events: an H2 file database under {@code target/bench-h2}, or the PostgreSQL schema {@code
 * metering_bench} in the test database. Events are generated per tenant in time order over 31 days
 * (5 workflows, 2 environments, every event type).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
public class UsageSummaryBenchmark {
  static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  static final Duration SPAN = Duration.ofDays(31);
  static final List<String> WORKFLOWS = List.of("hello", "deploy", "etl", "report", "backup");
  static final List<String> TABLES =
      List.of(
          "metering_events",
          "metering_usage_minute",
          "metering_usage_hour",
          "metering_usage_day",
          "metering_spend");
  static final List<String> ENVS = List.of("prod", "staging");

  /** The seed of every tenant's random workflows, envs and quantities ({@link #events}). */
  static final long SEED = 14;

  @State(Scope.Benchmark)
  public static class Seeded {
    @Param({"H2", "POSTGRESQL"})
    public String backend;

    @Param({"10000000"})
    public long events;

    @Param({"100"})
    public int tenants;

    Database db;
    final Metering metering = Metering.standard();

    /**
     * The windows measured in turn: 30 days ending 13:07 to 14:06 on the last day, one per minute.
     * H2 answers a statement it ran before in the same session with the same parameters, on tables
     * that have not changed since, from its previous result; one fixed window measured that cache
     * (p50 0.06 ms), not the summary.
     */
    final List<UsageQuery> totals = new ArrayList<>();

    final List<UsageQuery> grouped = new ArrayList<>();
    int next;

    UsageQuery nextOf(List<UsageQuery> queries) {
      next = (next + 1) % queries.size();
      return queries.get(next);
    }

    @Setup(Level.Trial)
    public void open() throws Exception {
      db = openDatabase(backend);
      Migrations.migrate(db);
      long have = countEvents(db, tenants);
      if (have != events) {
        System.out.printf("seeding %,d events for %d tenants (found %,d)%n", events, tenants, have);
        clear(db);
        long t0 = System.nanoTime();
        if (backend.equals("H2")) {
          // The load only: H2 with its default write delay (stores in the background, not after
          // every commit) and a large cache; the summaries are measured on the server's settings.
          db.close();
          try (Database bulk =
              Database.open(
                  h2Url().replace(";WRITE_DELAY=0", "") + ";CACHE_SIZE=1048576", "", "", 4, "")) {
            seed(bulk, metering, events, tenants);
          }
          db = openDatabase(backend);
        } else {
          seed(db, metering, events, tenants);
        }
        System.out.printf("seeded %,d events in %.1f s%n", events, (System.nanoTime() - t0) / 1e9);
      }
      analyze(db);
      TenantId tenant = tenantId(tenants / 2);
      for (int m = 0; m < 60; m++) {
        Instant to =
            START.plus(Duration.ofDays(30)).plus(Duration.ofHours(13)).plusSeconds(420 + 60L * m);
        Instant from = to.minus(Duration.ofDays(30));
        totals.add(new UsageQuery(tenant, from, to, java.util.Set.of(), UsageQuery.Interval.TOTAL));
        grouped.add(
            UsageQuery.parse(tenant, from.toString(), to.toString(), "workflow,env", "day"));
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      db.close();
    }
  }

  @Benchmark
  public UsageReport summary30Days(Seeded s) {
    UsageQuery q = s.nextOf(s.totals);
    return s.db.inTransaction(TenantScope.of(q.tenant()), tx -> s.metering.usage(tx, q));
  }

  @Benchmark
  public UsageReport summary30DaysByWorkflowEnvAndDay(Seeded s) {
    UsageQuery q = s.nextOf(s.grouped);
    return s.db.inTransaction(TenantScope.of(q.tenant()), tx -> s.metering.usage(tx, q));
  }

  static Database openDatabase(String backend) {
    if (backend.equals("H2")) {
      return Database.open(h2Url(), "", "", 4, "");
    }
    TestDatabase.requirePostgres();
    return Database.open(
        TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "", 4, "metering_bench");
  }

  /**
   * The benchmark's H2 file database, with the server's settings ({@link Database#embeddedUrl}).
   */
  static String h2Url() {
    return Database.embeddedUrl(Path.of("target", "bench-h2").toAbsolutePath());
  }

  /** The events of the first {@code tenants} tenants (a seeding cut short leaves others). */
  static long countEvents(Database db, int tenants) {
    return db.inTransaction(
        TenantScope.platform(),
        tx ->
            tx.queryOne(
                    "SELECT COUNT(*) AS n FROM metering_events WHERE tenant_id < ?",
                    rs -> rs.getLong("n"),
                    tenantId(tenants).value())
                .orElse(0L));
  }

  /**
   * Refreshes the planner's statistics, as autovacuum (PostgreSQL) would have while the rows
   * arrived one transaction at a time: after a bulk load the planner would otherwise guess from an
   * empty table.
   */
  static void analyze(Database db) {
    db.useTransaction(
        TenantScope.platform(),
        tx -> {
          for (String t : TABLES) {
            tx.update(
                tx.dialect() == io.maestro.store.Dialect.POSTGRESQL
                    ? "ANALYZE " + t
                    : "ANALYZE TABLE " + t);
          }
        });
  }

  static void clear(Database db) {
    db.useTransaction(
        TenantScope.platform(),
        tx -> {
          for (String t : TABLES) {
            tx.update("TRUNCATE TABLE " + t);
          }
        });
  }

  static TenantId tenantId(int i) {
    return TenantId.of(String.format("tenant-%03d", i));
  }

  /**
   * Seeds {@code events / tenants} events for each of the tenants ({@link BulkSeed}). Every tenant
   * has the same events but for its id ({@link #events}), so H2 generates and writes the first
   * tenant only and copies it to the others inside the database ({@link TenantCopy}); PostgreSQL
   * writes every tenant with {@code COPY}.
   */
  static void seed(Database db, Metering metering, long events, int tenants) throws Exception {
    long perTenant = events / tenants;
    AtomicInteger done = new AtomicInteger();
    BulkSeed.seed(
        db,
        metering,
        tenants,
        db.dialect() == io.maestro.store.Dialect.H2 ? 1 : tenants,
        t -> events(tenantId(t), perTenant),
        UsageSummaryBenchmark::tenantId,
        () -> System.out.printf("  tenant %d of %d seeded%n", done.incrementAndGet(), tenants));
  }

  /**
   * One tenant's {@code count} events in time order over {@link #SPAN}: every event type in turn,
   * 50 events per run, random workflow, env and quantities. The random numbers start from the same
   * seed for every tenant: tenants differ only in their id (which lets H2's seed copy a tenant).
   */
  static List<MeteredEvent> events(TenantId tenant, long count) {
    SplittableRandom random = new SplittableRandom(SEED);
    EventType[] types = EventType.values();
    long stepNanos = SPAN.toNanos() / count;
    List<MeteredEvent> events = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      EventType type = types[(int) (i % types.length)];
      String workflow = WORKFLOWS.get(random.nextInt(WORKFLOWS.size()));
      WorkflowRef ref =
          type == EventType.EVIDENCE_EXPORTED
              ? WorkflowRef.NONE
              : WorkflowRef.run(workflow, "1", workflow + "-" + (i / 50));
      long quantity =
          switch (type) {
            case STEP_EXECUTED -> random.nextInt(60_000);
            case STORAGE_BYTES_WRITTEN -> random.nextInt(1_000_000);
            default -> 1;
          };
      events.add(
          MeteredEvent.of(
              type,
              "k" + i,
              START.plusNanos(i * stepNanos),
              tenant,
              ENVS.get(random.nextInt(ENVS.size())),
              ActorType.SYSTEM,
              ref,
              "run/" + ref.runId(),
              quantity));
    }
    return events;
  }

  /** Seeds without measuring: {@code java ... UsageSummaryBenchmark$Seed H2 10000000 100}. */
  public static final class Seed {
    public static void main(String[] args) throws Exception {
      // H2 caches the values it reads and writes in a shared array keyed by content; for a load of
      // millions of distinct values that cache only costs (a quarter of the CPU of the load).
      System.setProperty("h2.objectCache", "false");
      Seeded s = new Seeded();
      s.backend = args[0];
      s.events = Long.parseLong(args[1]);
      s.tenants = Integer.parseInt(args[2]);
      s.open();
      System.out.println(countEvents(s.db, s.tenants) + " events present");
      s.close();
    }
  }
}
