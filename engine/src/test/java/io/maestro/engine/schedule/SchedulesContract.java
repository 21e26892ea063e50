package io.maestro.engine.schedule;

import static io.maestro.engine.EngineHarness.ACME;
import static io.maestro.engine.EngineHarness.AUTHOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.maestro.engine.Engine;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.RecordingReceipts;
import io.maestro.engine.RunView;
import io.maestro.engine.run.StartRun;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schedules on a real database with a clock the test moves: tick math (time zone, catch-up after
 * downtime, missed ticks), the overlap policies, pause and resume, and the claim that lets one
 * handler win a tick however many race for it. The engine's workers are not started, so a
 * schedule's runs stay active until the test cancels them.
 */
abstract class SchedulesContract {
  abstract Backend backend();

  static final String YAML =
      "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: report, version: \"1\"}\n"
          + "spec:\n  inputs: {type: object, properties: {day: {type: string}}}\n"
          + "  tasks:\n    - {id: a, uses: core/noop}\n";

  TestDatabase tdb;
  Engine engine;
  RecordingReceipts receipts;
  final MovableClock clock = new MovableClock(Instant.parse("2026-12-04T10:00:30Z"));

  @BeforeEach
  void open() {
    tdb = backend().open();
    receipts = new RecordingReceipts();
    engine = EngineHarness.builder(tdb.database(), receipts).clock(clock).build();
    EngineHarness.publish(engine, YAML);
  }

  @AfterEach
  void close() {
    engine.close();
    tdb.close();
  }

  Schedule create(String id, String cron, String zone, String overlap, long catchUp) {
    ScheduleSpec spec =
        ScheduleSpec.of(
            id,
            "report",
            Optional.empty(),
            cron,
            zone,
            overlap,
            catchUp,
            0,
            JsonNodeFactory.instance.objectNode().put("day", "today"),
            Duration.ofSeconds(60),
            clock.instant());
    return engine.schedules().create(AUTHOR, ACME, spec, Schedules.SOURCE_API);
  }

  /**
   * One scheduler pass over {@code s} as the server's scheduler makes it, with AUTHOR's decision.
   */
  Schedules.Handled pass(Schedule s) {
    Ticks.Plan plan = Ticks.plan(s, Cron.parse(s.cron()), clock.instant());
    Optional<StartRun> run =
        plan.fire()
            .map(
                t ->
                    new StartRun(
                        s.tenant(),
                        s.workflow(),
                        s.version(),
                        Map.of("day", "today"),
                        Optional.of("schedule:" + s.id() + ":" + t.getEpochSecond()),
                        AUTHOR,
                        Optional.empty(),
                        StartRun.SCHEDULE));
    return engine.schedules().handle(s, plan, AUTHOR, run, Optional.empty());
  }

  Schedule reload(Schedule s) {
    return engine.schedules().get(ACME, s.id()).orElseThrow();
  }

  @Test
  void create_firstTickIsTheNextOnTheZonesWallClock() {
    Schedule s = create("morning", "30 9 * * *", "Europe/Berlin", "skip", 0);
    // 09:30 in Berlin on 5 December is 08:30 UTC (10:00 UTC on the 4th has passed 09:30 there).
    assertThat(s.nextTick()).contains(Instant.parse("2026-12-05T08:30:00Z"));
    assertThat(receipts.ofType("schedule.created")).hasSize(1);
    assertThat(engine.schedules().due(clock.instant())).isEmpty();
  }

  @Test
  void dueTick_startsOneRunWithTriggerSchedule_andItsReceipts() {
    Schedule s = create("hourly", "0 * * * *", "UTC", "allow", 0);
    assertThat(s.nextTick()).contains(Instant.parse("2026-12-04T11:00:00Z"));
    clock.set(Instant.parse("2026-12-04T11:00:04Z"));
    assertThat(engine.schedules().due(clock.instant())).extracting(Schedule::id).contains("hourly");

    Schedules.Handled h = pass(reload(s));
    assertThat(h.claimed()).isTrue();
    assertThat(h.outcome()).contains(Schedules.Outcome.STARTED);
    RunView run = engine.runs().get(ACME, h.runId().orElseThrow()).orElseThrow();
    assertThat(run.trigger()).isEqualTo("schedule");
    assertThat(run.inputs().path("day").asText()).isEqualTo("today");
    assertThat(run.idempotencyKey())
        .contains("schedule:hourly:" + Instant.parse("2026-12-04T11:00:00Z").getEpochSecond());
    assertThat(receipts.ofType("run.started"))
        .anySatisfy(r -> assertThat(r.payload().path("trigger").asText()).isEqualTo("schedule"));
    assertThat(receipts.ofType("schedule.fired"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.payload().path("outcome").asText()).isEqualTo("started");
              assertThat(r.payload().path("run").asText()).isEqualTo(run.runId());
              assertThat(r.decision()).isPresent();
            });
    assertThat(reload(s).nextTick()).contains(Instant.parse("2026-12-04T12:00:00Z"));

    // A second handler that read the same row before the first committed claims nothing.
    Schedules.Handled again = pass(s);
    assertThat(again.claimed()).isFalse();
    assertThat(engine.schedules().firings(ACME, "hourly", 10)).hasSize(1);
  }

  @Test
  void afterDowntime_onlyTheLatestTickInTheCatchUpWindowFires_olderOnesAreMissed() {
    Schedule s = create("hourly", "0 * * * *", "UTC", "allow", 1800);
    // Down from 10:00:30 until 14:10: ticks 11, 12, 13 are older than 30 minutes, 14 is not.
    clock.set(Instant.parse("2026-12-04T14:10:00Z"));
    Schedules.Handled h = pass(reload(s));
    assertThat(h.outcome()).contains(Schedules.Outcome.STARTED);
    List<Schedules.Firing> f = engine.schedules().firings(ACME, "hourly", 10);
    assertThat(f)
        .extracting(Schedules.Firing::outcome)
        .containsExactly(Schedules.Outcome.STARTED, Schedules.Outcome.MISSED);
    assertThat(f.get(0).tick()).isEqualTo("2026-12-04T14:00:00Z");
    assertThat(f.get(1).tick()).isEqualTo("2026-12-04T11:00:00Z");
    assertThat(f.get(1).detail().orElseThrow()).contains("\"missed\":3");
    assertThat(reload(s).nextTick()).contains(Instant.parse("2026-12-04T15:00:00Z"));
  }

  @Test
  void afterDowntimeLongerThanTheWindow_nothingFires() {
    Schedule s = create("daily", "0 6 * * *", "UTC", "allow", 0);
    clock.set(Instant.parse("2026-12-07T09:00:00Z"));
    Schedules.Handled h = pass(reload(s));
    assertThat(h.claimed()).isTrue();
    assertThat(h.outcome()).isEmpty();
    assertThat(engine.schedules().firings(ACME, "daily", 10))
        .singleElement()
        .satisfies(x -> assertThat(x.outcome()).isEqualTo(Schedules.Outcome.MISSED));
    assertThat(reload(s).nextTick()).contains(Instant.parse("2026-12-08T06:00:00Z"));
  }

  @Test
  void overlapSkip_skipsWhileTheRunIsActive() {
    Schedule s = create("hourly", "0 * * * *", "UTC", "skip", 0);
    clock.set(Instant.parse("2026-12-04T11:00:01Z"));
    assertThat(pass(reload(s)).outcome()).contains(Schedules.Outcome.STARTED);
    clock.set(Instant.parse("2026-12-04T12:00:01Z"));
    assertThat(pass(reload(s)).outcome()).contains(Schedules.Outcome.SKIPPED);
    assertThat(engine.schedules().activeRuns(ACME, "hourly")).isEqualTo(1);
  }

  @Test
  void overlapQueueOne_queuesOneTick_andStartsItWhenTheRunEnds() {
    Schedule s = create("hourly", "0 * * * *", "UTC", "queue_one", 0);
    clock.set(Instant.parse("2026-12-04T11:00:01Z"));
    String first = pass(reload(s)).runId().orElseThrow();
    clock.set(Instant.parse("2026-12-04T12:00:01Z"));
    assertThat(pass(reload(s)).outcome()).contains(Schedules.Outcome.QUEUED);
    clock.set(Instant.parse("2026-12-04T13:00:01Z"));
    assertThat(pass(reload(s)).outcome()).contains(Schedules.Outcome.SKIPPED);

    List<Schedules.TenantFiring> queued = engine.schedules().queued();
    assertThat(queued)
        .singleElement()
        .satisfies(q -> assertThat(q.firing().tick()).isEqualTo("2026-12-04T12:00:00Z"));
    StartRun run =
        new StartRun(
            ACME,
            "report",
            Optional.empty(),
            Map.of(),
            Optional.of("q"),
            AUTHOR,
            Optional.empty(),
            StartRun.SCHEDULE);
    // Still running: the queued tick waits.
    assertThat(
            engine
                .schedules()
                .startQueued(ACME, queued.get(0).firing(), AUTHOR, run, Optional.empty())
                .claimed())
        .isFalse();
    engine.cancelRun().handle(AUTHOR, ACME, first, "test");
    Schedules.Handled h =
        engine.schedules().startQueued(ACME, queued.get(0).firing(), AUTHOR, run, Optional.empty());
    assertThat(h.outcome()).contains(Schedules.Outcome.STARTED);
    assertThat(engine.schedules().queued()).isEmpty();
    assertThat(engine.runs().get(ACME, h.runId().orElseThrow()).orElseThrow().trigger())
        .isEqualTo("schedule");
  }

  @Test
  void refusedTick_isRecordedAsDenied_withoutARun() {
    Schedule s = create("hourly", "0 * * * *", "UTC", "allow", 0);
    clock.set(Instant.parse("2026-12-04T11:00:01Z"));
    Schedule r = reload(s);
    Ticks.Plan plan = Ticks.plan(r, Cron.parse(r.cron()), clock.instant());
    var detail = JsonNodeFactory.instance.objectNode().put("decision_id", "dec_no");
    detail.putArray("reasons").addObject().put("code", "kill_switch_active");
    Schedules.Handled h =
        engine.schedules().handle(r, plan, AUTHOR, Optional.empty(), Optional.of(detail));
    assertThat(h.outcome()).contains(Schedules.Outcome.DENIED);
    assertThat(
            engine
                .runs()
                .list(ACME, Optional.empty(), Optional.empty(), 10, Optional.empty())
                .runs())
        .isEmpty();
    assertThat(receipts.ofType("schedule.fired"))
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.payload().path("reasons").get(0).path("code").asText())
                    .isEqualTo("kill_switch_active"));
  }

  @Test
  void pause_stopsTicks_resumeStartsFromNowWithoutCatchingUp() {
    Schedule s = create("hourly", "0 * * * *", "UTC", "allow", 86_400);
    engine.schedules().pause(AUTHOR, ACME, "hourly");
    clock.set(Instant.parse("2026-12-04T15:30:00Z"));
    assertThat(engine.schedules().due(clock.instant())).isEmpty();
    // A pass that read the row before the pause claims nothing.
    assertThat(pass(s).claimed()).isFalse();
    Schedule resumed = engine.schedules().resume(AUTHOR, ACME, "hourly");
    assertThat(resumed.paused()).isFalse();
    assertThat(resumed.nextTick()).contains(Instant.parse("2026-12-04T16:00:00Z"));
    assertThat(receipts.ofType("schedule.paused")).hasSize(1);
    assertThat(receipts.ofType("schedule.resumed")).hasSize(1);
    engine.schedules().delete(AUTHOR, ACME, "hourly");
    assertThat(engine.schedules().get(ACME, "hourly")).isEmpty();
  }

  @Test
  void manySchedulersRacingForOneTick_startExactlyOneRun() throws Exception {
    Schedule s = create("hourly", "0 * * * *", "UTC", "allow", 0);
    clock.set(Instant.parse("2026-12-04T11:00:02Z"));
    Schedule snapshot = reload(s);
    int racers = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<Future<Schedules.Handled>> results = new ArrayList<>();
    try {
      for (int i = 0; i < racers; i++) {
        Callable<Schedules.Handled> c =
            () -> {
              go.await();
              try {
                return pass(snapshot);
              } catch (RuntimeException e) {
                // A loser may also see a serialization failure or unique violation: not a run.
                return new Schedules.Handled(false, Optional.empty(), Optional.empty());
              }
            };
        results.add(pool.submit(c));
      }
      go.countDown();
      int started = 0;
      for (Future<Schedules.Handled> f : results) {
        if (f.get().outcome().equals(Optional.of(Schedules.Outcome.STARTED))) {
          started++;
        }
      }
      assertThat(started).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            engine
                .runs()
                .list(ACME, Optional.empty(), Optional.empty(), 10, Optional.empty())
                .runs())
        .hasSize(1);
    assertThat(engine.schedules().firings(ACME, "hourly", 10)).hasSize(1);
  }

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant t) {
      now = t;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
