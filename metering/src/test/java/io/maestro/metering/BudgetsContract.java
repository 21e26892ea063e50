package io.maestro.metering;

import static io.maestro.metering.Events.ACME;
import static io.maestro.metering.Events.GLOBEX;
import static io.maestro.metering.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spend counters, budgets, run estimates and the estimator, on every backend. */
abstract class BudgetsContract {
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

  void record(MeteredEvent... events) {
    db.inTransaction(
        TenantScope.of(events[0].tenant()), tx -> metering.recordAll(tx, List.of(events)));
  }

  Spend spend(TenantId t, Instant at) {
    return db.inTransaction(TenantScope.of(t), tx -> metering.spend(tx, t, at));
  }

  BigDecimal cost(MeteredEvent e) {
    return metering.price(e).cost().usd();
  }

  /** A step attempt of the {@code hello@1.0.0} run {@code run}. */
  static MeteredEvent step(String run, String step, long ms, Instant at) {
    return MeteredEvent.of(
        EventType.STEP_EXECUTED,
        run + "/" + step + "#1:step.complete",
        at,
        ACME,
        "prod",
        ActorType.SYSTEM,
        WorkflowRef.run("hello", "1.0.0", run),
        "step/" + run + "/" + step,
        ms);
  }

  static MeteredEvent runEvent(EventType type, String run, String key, long q, Instant at) {
    return MeteredEvent.of(
        type,
        key,
        at,
        ACME,
        "prod",
        ActorType.USER,
        WorkflowRef.run("hello", "1.0.0", run),
        "run/" + run,
        q);
  }

  @Test
  void spend_countsEachDayAndMonthOnceAndIgnoresRedeliveries() {
    MeteredEvent a = Events.of(EventType.RUN_STARTED, "r1", T0.plusSeconds(60), 1);
    MeteredEvent b = Events.of(EventType.STEP_EXECUTED, "s1", T0.plusSeconds(120), 5_000);
    MeteredEvent nextDay = Events.of(EventType.RUN_STARTED, "r2", T0.plus(Duration.ofDays(1)), 1);
    record(a, b);
    record(a); // redelivered: no double count
    record(nextDay);
    record(Events.of(EventType.RUN_STARTED, GLOBEX, "g1", T0, 1));

    Spend day1 = spend(ACME, T0.plusSeconds(3600));
    assertThat(day1.todayUsd()).isEqualByComparingTo(cost(a).add(cost(b)));
    assertThat(day1.monthUsd()).isEqualByComparingTo(cost(a).add(cost(b)).add(cost(nextDay)));
    assertThat(spend(ACME, T0.plus(Duration.ofDays(1))).todayUsd())
        .isEqualByComparingTo(cost(nextDay));
    assertThat(spend(ACME, T0.plus(Duration.ofDays(40))).monthUsd()).isZero();
  }

  @Test
  void spend_equalsTheSumOfTheRunCosts() {
    List<MeteredEvent> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(runEvent(EventType.RECEIPT_EMITTED, "run-a", "rcp-" + i, 1, T0.plusSeconds(i)));
      events.add(step("run-a", "s" + i, 100 + i * 37, T0.plusSeconds(i)));
    }
    record(events.toArray(MeteredEvent[]::new));
    BigDecimal runCost =
        db.inTransaction(TenantScope.of(ACME), tx -> metering.runCost(tx, ACME, "run-a")).costUsd();
    assertThat(spend(ACME, T0).todayUsd()).isEqualByComparingTo(runCost);
  }

  @Test
  void budget_setReadAndReplace_perTenant() {
    Optional<Budget> none = db.inTransaction(TenantScope.of(ACME), tx -> metering.budget(tx, ACME));
    assertThat(none).isEmpty();
    db.inTransaction(
        TenantScope.of(ACME),
        tx -> {
          metering.setBudget(
              tx,
              ACME,
              Budget.of(Optional.of(new BigDecimal("5")), Optional.of(new BigDecimal("100.25"))),
              "ada",
              T0);
          metering.setBudget(
              tx,
              ACME,
              Budget.of(Optional.of(new BigDecimal("0.000125")), Optional.empty()),
              "ada",
              T0);
          return null;
        });
    Budget b =
        db.inTransaction(TenantScope.of(ACME), tx -> metering.budget(tx, ACME)).orElseThrow();
    assertThat(b.dailyMaxUsd())
        .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.000125"));
    assertThat(b.monthlyMaxUsd()).isEmpty();
    Optional<Budget> other =
        db.inTransaction(TenantScope.of(GLOBEX), tx -> metering.budget(tx, GLOBEX));
    assertThat(other).isEmpty();
  }

  @Test
  void budget_refusesNegativeAndOverPreciseAmounts() {
    assertThatThrownBy(() -> Budget.of(Optional.of(new BigDecimal("-1")), Optional.empty()))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("non-negative");
    assertThatThrownBy(() -> Budget.of(Optional.empty(), Optional.of(new BigDecimal("0.0000001"))))
        .isInstanceOf(MaestroException.class);
  }

  @Test
  void estimate_withoutHistory_usesTaskDefaultsAndStatedDurations() {
    PlannedRun plan =
        new PlannedRun(
            "hello",
            "1.0.0",
            "standard",
            List.of(
                new PlannedRun.PlannedStep("greet", "core/log", Optional.empty()),
                new PlannedRun.PlannedStep("pause", "core/wait", Optional.of(2_000L)),
                new PlannedRun.PlannedStep("odd", "acme/custom", Optional.empty())));
    CostEstimate e =
        db.inTransaction(TenantScope.of(ACME), tx -> metering.estimator().estimate(tx, ACME, plan));
    assertThat(e.basis()).isEqualTo(CostEstimate.DEFAULTS);
    assertThat(e.breakdown())
        .extracting(CostEstimate.Line::durationMs)
        .containsExactly(0L, 20L, 2_000L, 1_000L);
    assertThat(e.estimatedUsd())
        .isEqualByComparingTo(
            e.breakdown().stream()
                .map(CostEstimate.Line::costUsd)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  @Test
  void estimate_withHistory_usesTheMedianStepDurationAndRunOverhead() {
    long[] greet = {10, 30, 20, 1000, 25};
    List<MeteredEvent> events = new ArrayList<>();
    for (int i = 0; i < greet.length; i++) {
      String run = "run-" + i;
      Instant at = T0.plusSeconds(i * 10L);
      events.add(runEvent(EventType.RUN_STARTED, run, "start-" + i, 1, at));
      events.add(runEvent(EventType.RECEIPT_EMITTED, run, "rcp-" + i, 1, at));
      events.add(step(run, "greet", greet[i], at));
    }
    // A sixth run started (a bigger overhead) but has not ended: its overhead is not known yet.
    events.add(runEvent(EventType.RUN_STARTED, "run-5", "start-5", 1, T0.plusSeconds(60)));
    events.add(runEvent(EventType.RUN_STARTED, "run-5", "start-5b", 1, T0.plusSeconds(60)));
    record(events.toArray(MeteredEvent[]::new));
    db.inTransaction(
        TenantScope.of(ACME),
        tx -> {
          for (int i = 0; i <= greet.length; i++) {
            metering.recordEstimate(
                tx,
                ACME,
                new RunEstimate(
                    "run-" + i, "hello", "1.0.0", "dec-" + i, BigDecimal.ONE, "defaults", T0));
          }
          for (int i = 0; i < greet.length; i++) {
            assertThat(metering.settle(tx, ACME, "run-" + i, T0.plusSeconds(100 + i))).isPresent();
          }
          return null;
        });
    PlannedRun plan =
        new PlannedRun(
            "hello",
            "1.0.0",
            "standard",
            List.of(
                new PlannedRun.PlannedStep("greet", "core/log", Optional.empty()),
                new PlannedRun.PlannedStep("fresh", "core/log", Optional.empty())));
    CostEstimate e =
        db.inTransaction(TenantScope.of(ACME), tx -> metering.estimator().estimate(tx, ACME, plan));
    assertThat(e.basis()).isEqualTo(CostEstimate.MIXED);
    CostEstimate.Line overhead = e.breakdown().get(0);
    assertThat(overhead.basis()).isEqualTo(CostEstimate.HISTORY);
    assertThat(overhead.samples()).isEqualTo(5);
    assertThat(overhead.costUsd())
        .isEqualByComparingTo(
            cost(runEvent(EventType.RUN_STARTED, "x", "x", 1, T0))
                .add(cost(runEvent(EventType.RECEIPT_EMITTED, "x", "y", 1, T0))));
    CostEstimate.Line g = e.breakdown().get(1);
    assertThat(g.basis()).isEqualTo(CostEstimate.HISTORY);
    assertThat(g.durationMs()).as("the median of 10, 20, 25, 30, 1000").isEqualTo(25);
    assertThat(g.samples()).isEqualTo(5);
    assertThat(e.breakdown().get(2).basis()).isEqualTo(CostEstimate.DEFAULTS);

    CostEstimate other =
        db.inTransaction(
            TenantScope.of(GLOBEX), tx -> metering.estimator().estimate(tx, GLOBEX, plan));
    assertThat(other.basis())
        .as("another tenant's history is not used")
        .isEqualTo(CostEstimate.DEFAULTS);
  }

  @Test
  void settle_writesTheRunsActualCostAndOverheadOnce() {
    Instant at = T0.plusSeconds(5);
    record(
        runEvent(EventType.RUN_STARTED, "run-9", "start-9", 1, at),
        runEvent(EventType.RECEIPT_EMITTED, "run-9", "rcp-9", 1, at));
    BigDecimal overhead =
        cost(runEvent(EventType.RUN_STARTED, "x", "x", 1, T0))
            .add(cost(runEvent(EventType.RECEIPT_EMITTED, "x", "y", 1, T0)));
    BigDecimal total = overhead.add(cost(step("x", "greet", 400, T0)));
    db.inTransaction(
        TenantScope.of(ACME),
        tx -> {
          assertThat(metering.settle(tx, ACME, "run-9", at))
              .as("a run admitted without an estimate has nothing to settle")
              .isEmpty();
          metering.recordEstimate(
              tx,
              ACME,
              new RunEstimate("run-9", "hello", "1.0.0", "dec-9", BigDecimal.ONE, "defaults", T0));
          return null;
        });
    // Costs recorded after the estimate are added to it as they are recorded.
    record(step("run-9", "greet", 400, at));
    db.inTransaction(
        TenantScope.of(ACME),
        tx -> {
          RunSettlement s = metering.settle(tx, ACME, "run-9", at).orElseThrow();
          assertThat(s.estimate().decisionId()).isEqualTo("dec-9");
          assertThat(s.actualUsd()).isEqualByComparingTo(total);
          assertThat(s.overheadUsd()).isEqualByComparingTo(overhead);
          assertThat(metering.settle(tx, ACME, "run-9", at.plusSeconds(1)))
              .as("settled once")
              .isEmpty();
          return null;
        });
    Optional<RunSettlement> foreign =
        db.inTransaction(TenantScope.of(GLOBEX), tx -> metering.settle(tx, GLOBEX, "run-9", at));
    assertThat(foreign).as("another tenant's run is not found").isEmpty();
  }

  @Test
  void settle_ofARunAdmittedBeforeCostsWereKept_sumsItsEvents() {
    Instant at = T0.plusSeconds(5);
    record(
        runEvent(EventType.RUN_STARTED, "run-8", "start-8", 1, at),
        step("run-8", "greet", 400, at));
    db.inTransaction(
        TenantScope.of(ACME),
        tx -> {
          metering.recordEstimate(
              tx,
              ACME,
              new RunEstimate("run-8", "hello", "1.0.0", "dec-8", BigDecimal.ONE, "defaults", T0));
          // As the migration leaves the rows of runs admitted before it.
          tx.update(
              "UPDATE metering_run_estimates SET actual_usd = NULL, overhead_usd = NULL WHERE"
                  + " run_id = 'run-8'");
          return null;
        });
    record(runEvent(EventType.RECEIPT_EMITTED, "run-8", "rcp-8", 1, at));
    RunSettlement s =
        db.inTransaction(TenantScope.of(ACME), tx -> metering.settle(tx, ACME, "run-8", at))
            .orElseThrow();
    BigDecimal overhead =
        cost(runEvent(EventType.RUN_STARTED, "x", "x", 1, T0))
            .add(cost(runEvent(EventType.RECEIPT_EMITTED, "x", "y", 1, T0)));
    assertThat(s.overheadUsd()).isEqualByComparingTo(overhead);
    assertThat(s.actualUsd()).isEqualByComparingTo(overhead.add(cost(step("x", "greet", 400, T0))));
  }

  @Test
  void runEstimateAndBudgetAlert_areStoredOnce() {
    RunEstimate e =
        new RunEstimate(
            "run-1", "hello", "1.0.0", "dec-1", new BigDecimal("0.0012"), "history", T0);
    BudgetAlert alert =
        new BudgetAlert(
            "day",
            T0,
            "dec-1",
            new BigDecimal("4"),
            new BigDecimal("0.5"),
            new BigDecimal("5"),
            T0);
    db.inTransaction(
        TenantScope.of(ACME),
        tx -> {
          assertThat(metering.recordEstimate(tx, ACME, e)).isTrue();
          assertThat(metering.recordEstimate(tx, ACME, e)).isFalse();
          assertThat(metering.recordBudgetAlert(tx, ACME, alert)).isTrue();
          assertThat(metering.recordBudgetAlert(tx, ACME, alert)).isFalse();
          return null;
        });
    RunEstimate stored =
        db.inTransaction(TenantScope.of(ACME), tx -> metering.estimateOf(tx, ACME, "run-1"))
            .orElseThrow();
    assertThat(stored.estimatedUsd()).isEqualByComparingTo("0.0012");
    assertThat(stored.decisionId()).isEqualTo("dec-1");
    List<BudgetAlert> alerts =
        db.inTransaction(TenantScope.of(ACME), tx -> metering.budgetAlerts(tx, ACME, T0));
    assertThat(alerts).hasSize(1);
    Optional<RunEstimate> foreign =
        db.inTransaction(TenantScope.of(GLOBEX), tx -> metering.estimateOf(tx, GLOBEX, "run-1"));
    assertThat(foreign).isEmpty();
  }
}
