package io.maestro.metering;

import static io.maestro.metering.Events.ACME;
import static io.maestro.metering.Events.GLOBEX;
import static io.maestro.metering.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.TenantId;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Recording events and reading events, usage and costs, on every backend. */
abstract class MeteringContract {
  abstract Backend backend();

  TestDatabase testDb;
  Database db;
  final Metering metering = Metering.standard();

  @BeforeEach
  void open() {
    testDb = backend().open();
    db = testDb.database();
  }

  @AfterEach
  void close() {
    testDb.close();
  }

  boolean record(MeteredEvent e) {
    return db.inTransaction(TenantScope.of(e.tenant()), tx -> metering.record(tx, e));
  }

  UsageReport usage(TenantId tenant, Instant from, Instant to, String groupBy, String interval) {
    UsageQuery q = UsageQuery.parse(tenant, from.toString(), to.toString(), groupBy, interval);
    return db.inTransaction(TenantScope.of(tenant), tx -> metering.usage(tx, q));
  }

  static UsageReport.Line total(UsageReport r, EventType type) {
    return r.totals().stream().filter(l -> l.type() == type).findFirst().orElseThrow();
  }

  @Test
  void record_sameActionTwice_countsOnce() {
    MeteredEvent e = Events.of(EventType.STEP_EXECUTED, "attempt-1", T0, 1500);
    assertThat(record(e)).isTrue();
    assertThat(record(e)).as("a redelivery of the same attempt").isFalse();

    UsageReport r = usage(ACME, T0, T0.plus(Duration.ofDays(1)), "", "");
    assertThat(total(r, EventType.STEP_EXECUTED).events()).isEqualTo(1);
    assertThat(total(r, EventType.STEP_EXECUTED).quantity()).isEqualTo(1500);
    assertThat(page(ACME, Optional.empty(), 10).events()).hasSize(1);
  }

  @Test
  void recordAll_duplicateWithinOneBatch_countsOnce() {
    MeteredEvent e = Events.of(EventType.RECEIPT_EMITTED, "rcp-1", T0, 1);
    int recorded =
        db.inTransaction(TenantScope.of(ACME), tx -> metering.recordAll(tx, List.of(e, e, e)));
    assertThat(recorded).isEqualTo(1);
    assertThat(
            total(usage(ACME, T0, T0.plusSeconds(60), "", ""), EventType.RECEIPT_EMITTED).events())
        .isEqualTo(1);
  }

  @Test
  void record_rollsBackWithTheCallersTransaction() {
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.of(ACME),
                    tx -> {
                      metering.record(tx, Events.of(EventType.RUN_STARTED, "r1", T0, 1));
                      throw new IllegalStateException("the action failed");
                    }))
        .hasMessage("the action failed");
    assertThat(usage(ACME, T0, T0.plusSeconds(3600), "", "").totals()).isEmpty();
    assertThat(page(ACME, Optional.empty(), 10).events()).isEmpty();
    assertThat(record(Events.of(EventType.RUN_STARTED, "r1", T0, 1)))
        .as("the rolled-back action can be recorded when it really happens")
        .isTrue();
  }

  @Test
  void record_refusesAnotherTenantsTransaction() {
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.of(ACME),
                    tx ->
                        metering.record(tx, Events.of(EventType.RUN_STARTED, GLOBEX, "r1", T0, 1))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void usage_sumsAcrossMinuteHourAndDayBucketsAndGroupsByWorkflowEnvAndDay() {
    Instant[] times = {
      T0.minusSeconds(1), // before the window
      T0.plusSeconds(30), // first minute
      T0.plus(Duration.ofMinutes(59)),
      T0.plus(Duration.ofHours(5)),
      T0.plus(Duration.ofDays(1)).plusSeconds(7),
      T0.plus(Duration.ofDays(2)).plus(Duration.ofHours(3)),
      T0.plus(Duration.ofDays(2)).plus(Duration.ofHours(3)).plus(Duration.ofMinutes(10)),
      T0.plus(Duration.ofDays(2)).plus(Duration.ofHours(3)).plus(Duration.ofMinutes(11)), // after
    };
    for (int i = 0; i < times.length; i++) {
      String env = i % 2 == 0 ? "prod" : "dev";
      String wf = i < 4 ? "hello" : "deploy";
      record(
          MeteredEvent.of(
              EventType.STEP_EXECUTED,
              "a" + i,
              times[i],
              ACME,
              env,
              ActorType.SYSTEM,
              WorkflowRef.run(wf, "1", "run-" + i),
              "run/run-" + i,
              100L * (i + 1)));
    }
    // A window that starts mid-hour and ends mid-hour two days later: minutes, hours, days.
    Instant from = T0;
    Instant to = T0.plus(Duration.ofDays(2)).plus(Duration.ofHours(3)).plus(Duration.ofMinutes(11));

    UsageReport all = usage(ACME, from, to, "", "");
    assertThat(total(all, EventType.STEP_EXECUTED).events()).isEqualTo(6);
    assertThat(total(all, EventType.STEP_EXECUTED).quantity())
        .isEqualTo(200 + 300 + 400 + 500 + 600 + 700);
    assertThat(all.breakdown()).isEmpty();

    UsageReport grouped = usage(ACME, from, to, "workflow,env", "day");
    assertThat(grouped.breakdown())
        .extracting(l -> l.day() + " " + l.workflow() + " " + l.env() + " " + l.quantity())
        .containsExactly(
            "2026-11-01 hello dev 600", // i=1 (200) + i=3 (400)
            "2026-11-01 hello prod 300",
            "2026-11-02 deploy prod 500",
            "2026-11-03 deploy dev 600",
            "2026-11-03 deploy prod 700");
    assertThat(grouped.costUsd()).isEqualByComparingTo(all.costUsd());
    assertThat(grouped.breakdown().get(0).day()).isEqualTo(LocalDate.parse("2026-11-01"));

    UsageReport narrow =
        usage(ACME, T0.plus(Duration.ofMinutes(59)), T0.plus(Duration.ofMinutes(60)), "", "");
    assertThat(total(narrow, EventType.STEP_EXECUTED).quantity()).isEqualTo(300);

    // The same answers while the amounts are partly and then wholly folded into the rollups.
    for (int limit : new int[] {3, 100}) {
      db.inTransaction(TenantScope.platform(), tx -> metering.fold(tx, limit));
      assertThat(usage(ACME, from, to, "", "")).isEqualTo(all);
      assertThat(usage(ACME, from, to, "workflow,env", "day").breakdown())
          .isEqualTo(grouped.breakdown());
      assertThat(
              total(
                      usage(
                          ACME,
                          T0.plus(Duration.ofMinutes(59)),
                          T0.plus(Duration.ofMinutes(60)),
                          "",
                          ""),
                      EventType.STEP_EXECUTED)
                  .quantity())
          .isEqualTo(300);
    }
    assertThat(db.inTransaction(TenantScope.platform(), metering::pendingCount)).isZero();
  }

  @Test
  void foldingWhileRecording_countsEveryAmountExactlyOnce() throws Exception {
    int threads = 3;
    int perThread = 40;
    RollupFolder first = new RollupFolder(db, metering, Duration.ofMillis(1));
    RollupFolder second = new RollupFolder(db, metering, Duration.ofMillis(1));
    first.start();
    second.start();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    Instant at = T0.plus(Duration.ofMinutes(i % 90));
                    record(Events.of(EventType.STEP_EXECUTED, "t" + thread + "-" + i, at, 10 + i));
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      first.close();
      second.close();
    }
    new RollupFolder(db, metering, Duration.ofMillis(1)).foldAll();
    assertThat(db.inTransaction(TenantScope.platform(), metering::pendingCount)).isZero();
    UsageReport r = usage(ACME, T0, T0.plus(Duration.ofDays(1)), "", "");
    long quantity = 0;
    for (int i = 0; i < perThread; i++) {
      quantity += threads * (10L + i);
    }
    assertThat(total(r, EventType.STEP_EXECUTED).events()).isEqualTo(threads * perThread);
    assertThat(total(r, EventType.STEP_EXECUTED).quantity()).isEqualTo(quantity);
    BigDecimal spent =
        db.inTransaction(TenantScope.of(ACME), tx -> metering.spend(tx, ACME, T0)).todayUsd();
    assertThat(spent).isEqualByComparingTo(r.costUsd());
  }

  @Test
  void usageAndEvents_ofOneTenant_neverShowAnothers() {
    record(Events.of(EventType.RUN_STARTED, ACME, "r1", T0, 1));
    record(Events.of(EventType.RUN_STARTED, GLOBEX, "r1", T0, 1));
    record(Events.of(EventType.RUN_STARTED, GLOBEX, "r2", T0, 1));

    assertThat(total(usage(ACME, T0, T0.plusSeconds(60), "", ""), EventType.RUN_STARTED).events())
        .isEqualTo(1);
    assertThat(page(ACME, Optional.empty(), 10).events())
        .extracting(s -> s.event().tenant())
        .containsOnly(ACME);
    assertThat(page(GLOBEX, Optional.empty(), 10).events()).hasSize(2);
  }

  @Test
  void events_pageInOutboxOrderWithCursorAndTypeFilter() {
    for (int i = 0; i < 5; i++) {
      record(Events.of(EventType.RUN_STARTED, "r" + i, T0.plusSeconds(i), 1));
      record(Events.of(EventType.RECEIPT_EMITTED, "rcp" + i, T0.plusSeconds(i), 1));
    }
    EventPage first = page(ACME, Optional.empty(), 4);
    assertThat(first.events()).hasSize(4);
    assertThat(first.next()).isPresent();
    List<StoredEvent> all = new ArrayList<>(first.events());
    EventPage rest = page(ACME, first.next(), 100);
    all.addAll(rest.events());
    assertThat(rest.next()).isEmpty();
    assertThat(all).hasSize(10);
    assertThat(all).extracting(StoredEvent::seq).isSorted().doesNotHaveDuplicates();

    EventQuery onlyRuns =
        new EventQuery(
            ACME, T0, T0.plusSeconds(3), Optional.of(EventType.RUN_STARTED), Optional.empty(), 100);
    assertThat(db.inTransaction(TenantScope.of(ACME), tx -> metering.events(tx, onlyRuns)).events())
        .extracting(s -> s.event().idempotencyKey())
        .containsExactly("r0", "r1", "r2");
  }

  @Test
  void runCost_sumsTheRunsCostLinesPricedByTheActiveBook() {
    WorkflowRef run = WorkflowRef.run("hello", "1", "run-9");
    List<MeteredEvent> events =
        List.of(
            MeteredEvent.of(
                EventType.RUN_STARTED, "r", T0, ACME, "prod", ActorType.USER, run, "run/run-9", 1),
            MeteredEvent.of(
                    EventType.STEP_EXECUTED,
                    "s1",
                    T0,
                    ACME,
                    "prod",
                    ActorType.SYSTEM,
                    run,
                    "run/run-9",
                    2500)
                .withResourceClass("large"),
            MeteredEvent.of(
                EventType.RECEIPT_EMITTED,
                "rc",
                T0,
                ACME,
                "prod",
                ActorType.SYSTEM,
                run,
                "run/run-9",
                1));
    db.useTransaction(TenantScope.of(ACME), tx -> metering.recordAll(tx, events));

    RunCost cost =
        db.inTransaction(TenantScope.of(ACME), tx -> metering.runCost(tx, ACME, "run-9"));
    // 0.001 per run + 2.5 step-seconds × 0.00004 × weight 4 + 0.00002 per receipt
    assertThat(cost.costUsd()).isEqualByComparingTo(new BigDecimal("0.00142"));
    assertThat(cost.lines())
        .allSatisfy(l -> assertThat(l.cost().priceBook()).isEqualTo("2026-12-01"));
  }

  @Test
  void concurrentRecordsIntoOneBucket_loseNothing() throws Exception {
    int threads = 4;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    record(Events.of(EventType.RECEIPT_EMITTED, "t" + thread + "-" + i, T0, 1));
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    UsageReport r = usage(ACME, T0, T0.plusSeconds(60), "workflow", "");
    assertThat(total(r, EventType.RECEIPT_EMITTED).events()).isEqualTo(threads * perThread);
    assertThat(r.breakdown()).hasSize(1);
    assertThat(Set.copyOf(r.breakdown()).size()).isEqualTo(1);
  }

  @Test
  void runDimensions_areThoseTheRunStartedWith() {
    WorkflowRef child = WorkflowRef.childRun("deploy", "2", "run-7");
    record(
        MeteredEvent.of(
            EventType.RUN_STARTED,
            "r7",
            T0,
            ACME,
            "staging",
            ActorType.USER,
            child,
            "run/run-7",
            1));
    Optional<Metering.RunDimensions> dims =
        db.inTransaction(TenantScope.of(ACME), tx -> metering.runDimensions(tx, ACME, "run-7"));
    assertThat(dims).contains(new Metering.RunDimensions(child, "staging"));
    Optional<Metering.RunDimensions> other =
        db.inTransaction(TenantScope.of(GLOBEX), tx -> metering.runDimensions(tx, GLOBEX, "run-7"));
    assertThat(other).as("another tenant's run").isEmpty();
  }

  EventPage page(TenantId tenant, Optional<String> cursor, int limit) {
    EventQuery q =
        new EventQuery(
            tenant, T0.minusSeconds(3600), T0.plusSeconds(3600), Optional.empty(), cursor, limit);
    return db.inTransaction(TenantScope.of(tenant), tx -> metering.events(tx, q));
  }
}
