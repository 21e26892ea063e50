package io.maestro.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.engine.schedule.Schedules;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.server.auth.PostgresServers;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one PostgreSQL schema, each with its own scheduler, race for the same due ticks:
 * every tick is handled by exactly one of them and starts exactly one run. Repeated for several
 * rounds of several schedules so the two passes really overlap. Skipped without PostgreSQL outside
 * CI, like every PostgreSQL test.
 */
@RequiresPostgres
class ScheduleTwoServersPostgresTest {
  static final int SCHEDULES = 4;
  static final int ROUNDS = 3;

  @TempDir Path dirA;
  @TempDir Path dirB;
  String schema;
  MaestroServer a;
  MaestroServer b;

  @AfterEach
  void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (schema != null) {
      PostgresServers.drop(schema);
    }
  }

  static MaestroServer start(Path dir, String schema) {
    return MaestroServer.start(
        TestServers.config(
            dir,
            Map.of(
                "db.url",
                TestDatabase.postgresUrl(),
                "db.user",
                TestDatabase.postgresUser(),
                "db.schema",
                schema,
                "db.rlsRole",
                "maestro_app",
                "schedules.pollSeconds",
                "0")));
  }

  @Test
  void twoSchedulersOnOneDatabase_fireEachTickExactlyOnce() throws Exception {
    schema = PostgresServers.newSchema();
    a = start(dirA, schema);
    b = start(dirB, schema);
    Api apiA = new Api(a.port());
    String admin = apiA.token("acme", "ada@acme", "tenant_admin");
    ScheduleFixtures.publish(a, apiA, admin, "report");
    for (int i = 0; i < SCHEDULES * ROUNDS; i++) {
      Api.Reply r =
          apiA.call(
              "POST",
              "/api/schedules",
              admin,
              Map.of(
                  "id", "s" + i,
                  "workflow", "report",
                  "cron", "0 * * * *",
                  "overlap", "allow",
                  "catchUpSeconds", 3600));
      assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      int startedTotal = 0;
      for (int round = 0; round < ROUNDS; round++) {
        // Each round makes the current tick of its own schedules due and lets both servers pass
        // at once.
        for (int i = 0; i < SCHEDULES; i++) {
          ScheduleFixtures.makeDue(a, "acme", "s" + (round * SCHEDULES + i));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Scheduler.Fired>>> passes = new ArrayList<>();
        for (MaestroServer s : List.of(a, b)) {
          Scheduler scheduler = ScheduleFixtures.scheduler(s);
          passes.add(
              pool.submit(
                  () -> {
                    go.await();
                    return scheduler.pass();
                  }));
        }
        go.countDown();
        List<Scheduler.Fired> fromA = passes.get(0).get();
        List<Scheduler.Fired> fromB = passes.get(1).get();
        List<Scheduler.Fired> all = new ArrayList<>(fromA);
        all.addAll(fromB);
        assertThat(all).hasSize(SCHEDULES);
        assertThat(all)
            .allSatisfy(f -> assertThat(f.outcome()).isEqualTo(Schedules.Outcome.STARTED));
        assertThat(all.stream().map(Scheduler.Fired::schedule).distinct()).hasSize(SCHEDULES);
        startedTotal += all.size();
        assertThat(firings(a)).isEqualTo((long) SCHEDULES * (round + 1));
      }
      long runs =
          a.database()
              .inTransaction(
                  TenantScope.platform(),
                  tx ->
                      tx.queryOne(
                              "SELECT count(*) AS n FROM engine_runs WHERE run_trigger = ?",
                              rs -> rs.getLong("n"),
                              "schedule")
                          .orElseThrow());
      assertThat(runs).isEqualTo(startedTotal).isEqualTo((long) SCHEDULES * ROUNDS);
    } finally {
      pool.shutdownNow();
    }
  }

  private static long firings(MaestroServer s) {
    return s.database()
        .inTransaction(
            TenantScope.platform(),
            tx ->
                tx.queryOne(
                        "SELECT count(*) AS n FROM engine_schedule_firings", rs -> rs.getLong("n"))
                    .orElseThrow());
  }
}
