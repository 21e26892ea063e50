package io.maestro.engine.run;

import static io.maestro.engine.EngineHarness.ACME;
import static io.maestro.engine.EngineHarness.AUTHOR;
import static io.maestro.engine.EngineHarness.await;
import static io.maestro.engine.EngineHarness.publish;
import static io.maestro.engine.EngineHarness.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Engine;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.JsonText;
import io.maestro.engine.RecordingReceipts;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.TransitionCoverage;
import io.maestro.store.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Paused runs (ADR 0041), inherited by {@link EngineContract} so that they run on H2 and PostgreSQL
 * and count towards its transition coverage: every edge into and out of PAUSED is taken here.
 */
abstract class PausedRunScenarios {
  abstract Engine engine();

  abstract RecordingReceipts receipts();

  abstract TestDatabase tdb();

  abstract TransitionCoverage coverage();

  private static String wf(String name, String tasks) {
    return "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: "
        + name
        + ", version: \"1\"}\nspec:\n  tasks:\n"
        + tasks;
  }

  private static ObjectNode because(String why) {
    return JsonText.object().put("reason", why);
  }

  /** Long enough for an idle worker pool (200 ms slow poll) to have claimed anything claimable. */
  private static void settle() {
    try {
      Thread.sleep(700);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static void settleBriefly() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private RunView get(String runId) {
    return engine().runs().get(ACME, runId).orElseThrow();
  }

  @Test
  void pause_holdsAQueuedStepUntilTheRunResumes() {
    Engine engine = engine();
    publish(engine, wf("held", "    - {id: a, uses: core/noop}\n"));
    String runId = start(engine, "held", Map.of());
    var paused = engine.pauseRun().pause(AUTHOR, ACME, runId, because("kill switch ks-1"));
    assertThat(paused).isEqualTo(new PauseRunHandler.Outcome(RunStatus.PAUSED, true));
    engine.startWorkers();
    settle();
    RunView run = get(runId);
    assertThat(run.status()).isEqualTo(RunStatus.PAUSED);
    assertThat(run.step("a").orElseThrow().status()).isEqualTo(StepStatus.READY);
    assertThat(run.step("a").orElseThrow().deliveries()).isZero();
    assertThat(engine.queue().size()).isEqualTo(1);
    // Pausing again changes nothing and writes nothing.
    assertThat(engine.pauseRun().pause(AUTHOR, ACME, runId, because("again")).changed()).isFalse();
    assertThat(receipts().ofType("run.paused")).hasSize(1);
    assertThat(
            engine
                .runs()
                .list(
                    ACME,
                    java.util.Optional.of(RunStatus.PAUSED),
                    java.util.Optional.empty(),
                    10,
                    java.util.Optional.empty())
                .runs())
        .extracting(RunView::runId)
        .containsExactly(runId);

    var resumed = engine.pauseRun().resume(AUTHOR, ACME, runId, because("released"));
    assertThat(resumed).isEqualTo(new PauseRunHandler.Outcome(RunStatus.RUNNING, true));
    assertThat(EngineHarness.awaitEnd(engine, runId).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThatThrownBy(() -> engine.pauseRun().resume(AUTHOR, ACME, runId, because("late")))
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.RUN_FINISHED);
    var pausedReceipt = receipts().ofType("run.paused").getFirst();
    assertThat(pausedReceipt.decision()).isEqualTo(AUTHOR.decision());
    assertThat(pausedReceipt.payload().path("reason").asText()).isEqualTo("kill switch ks-1");
    assertThat(pausedReceipt.payload().path("from").asText()).isEqualTo("PENDING");
    assertThat(receipts().ofType("run.resumed")).hasSize(1);
  }

  /**
   * The attempt that was running finishes and is recorded, but its successor stays PENDING (not
   * queued) until the run resumes.
   */
  @Test
  void pause_letsTheRunningAttemptFinishAndQueuesNoSuccessor() {
    Engine engine = engine();
    publish(
        engine,
        wf(
            "busy",
            "    - {id: busy, uses: test/sleep, with: {ms: 1500}}\n"
                + "    - {id: next, uses: core/noop, needs: [busy]}\n"));
    engine.startWorkers();
    String runId = start(engine, "busy", Map.of());
    await(engine, runId, r -> r.step("busy").orElseThrow().status() == StepStatus.RUNNING);
    assertThat(engine.pauseRun().pause(AUTHOR, ACME, runId, because("hold")).changed()).isTrue();
    await(engine, runId, r -> r.step("busy").orElseThrow().status() == StepStatus.SUCCEEDED);
    settle();
    RunView run = get(runId);
    assertThat(run.status()).isEqualTo(RunStatus.PAUSED);
    assertThat(run.step("next").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
    assertThat(engine.queue().size()).isZero();

    engine.pauseRun().resume(AUTHOR, ACME, runId, because("go"));
    RunView done = EngineHarness.awaitEnd(engine, runId);
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.step("next").orElseThrow().deliveries()).isEqualTo(1);
  }

  /** A paused run whose last attempt finishes has nothing left to hold: it succeeds. */
  @Test
  void pause_runWhoseLastAttemptSucceedsWhilePaused_succeeds() {
    Engine engine = engine();
    publish(engine, wf("last", "    - {id: only, uses: test/sleep, with: {ms: 1200}}\n"));
    engine.startWorkers();
    String runId = start(engine, "last", Map.of());
    await(engine, runId, r -> r.step("only").orElseThrow().status() == StepStatus.RUNNING);
    engine.pauseRun().pause(AUTHOR, ACME, runId, because("hold"));
    RunView run = EngineHarness.awaitEnd(engine, runId);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    // The recorder keeps a transaction's receipts after its commit: they may trail the status.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (receipts().ofType("run.completed").stream().noneMatch(r -> r.subjectId().equals(runId))
        && System.nanoTime() < deadline) {
      settleBriefly();
    }
    assertThat(receipts().ofType("run.completed"))
        .filteredOn(r -> r.subjectId().equals(runId))
        .singleElement()
        .satisfies(r -> assertThat(r.payload().path("from").asText()).isEqualTo("PAUSED"));
  }

  /** An attempt that fails for good while its run is paused fails the run. */
  @Test
  void pause_runWhoseAttemptFailsWhilePaused_fails() {
    Engine engine = engine();
    publish(
        engine,
        wf(
            "sour",
            "    - {id: bad, uses: test/sleep, with: {ms: 1200, fail: boom}}\n"
                + "    - {id: next, uses: core/noop, needs: [bad]}\n"));
    engine.startWorkers();
    String runId = start(engine, "sour", Map.of());
    await(engine, runId, r -> r.step("bad").orElseThrow().status() == StepStatus.RUNNING);
    engine.pauseRun().pause(AUTHOR, ACME, runId, because("hold"));
    RunView run = EngineHarness.awaitEnd(engine, runId);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.step("next").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(engine.queue().size()).isZero();
  }

  /** A running attempt's timeout still bounds it while the run is paused. */
  @Test
  void pause_runWhoseAttemptTimesOutWhilePaused_timesOut() {
    Engine engine = engine();
    publish(
        engine, wf("stuck", "    - {id: s, uses: test/sleep, with: {ms: 10000}, timeout: 1s}\n"));
    engine.startWorkers();
    String runId = start(engine, "stuck", Map.of());
    await(engine, runId, r -> r.step("s").orElseThrow().status() == StepStatus.RUNNING);
    engine.pauseRun().pause(AUTHOR, ACME, runId, because("hold"));
    RunView run = EngineHarness.awaitEnd(engine, runId);
    assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
  }

  /** A retry scheduled while the run is paused waits for it to resume. */
  @Test
  void pause_holdsARetryScheduledWhilePaused() {
    Engine engine = engine();
    publish(
        engine,
        wf(
            "again",
            "    - id: f\n"
                + "      uses: test/sleep\n"
                + "      with: {ms: 1000, fail: flaky}\n"
                + "      retry: {max: 1, backoff: 10ms, on: [error]}\n"));
    engine.startWorkers();
    String runId = start(engine, "again", Map.of());
    await(engine, runId, r -> r.step("f").orElseThrow().status() == StepStatus.RUNNING);
    engine.pauseRun().pause(AUTHOR, ACME, runId, because("hold"));
    await(engine, runId, r -> r.step("f").orElseThrow().status() == StepStatus.READY);
    settle();
    RunView run = get(runId);
    assertThat(run.status()).isEqualTo(RunStatus.PAUSED);
    assertThat(run.step("f").orElseThrow().attempt()).isEqualTo(2);
    assertThat(run.step("f").orElseThrow().deliveries()).isEqualTo(1);

    engine.pauseRun().resume(AUTHOR, ACME, runId, because("go"));
    RunView done = EngineHarness.awaitEnd(engine, runId);
    assertThat(done.status()).isEqualTo(RunStatus.FAILED);
    assertThat(done.step("f").orElseThrow().deliveries()).isEqualTo(2);
  }

  /** A timer that comes due while the run is paused wakes its step only after the resume. */
  @Test
  void pause_holdsATimerWakeUpUntilResume() {
    Engine engine = engine();
    publish(engine, wf("nap", "    - {id: w, uses: core/wait, with: {duration: 600ms}}\n"));
    engine.startWorkers();
    String runId = start(engine, "nap", Map.of());
    await(engine, runId, r -> r.step("w").orElseThrow().status() == StepStatus.WAITING);
    engine.pauseRun().pause(AUTHOR, ACME, runId, because("hold"));
    settle(); // the timer comes due meanwhile
    settle();
    assertThat(get(runId).step("w").orElseThrow().status()).isEqualTo(StepStatus.WAITING);
    engine.pauseRun().resume(AUTHOR, ACME, runId, because("go"));
    assertThat(EngineHarness.awaitEnd(engine, runId).status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void cancel_endsAPausedRun() {
    Engine engine = engine();
    publish(engine, wf("halt", "    - {id: a, uses: core/noop}\n"));
    String runId = start(engine, "halt", Map.of());
    engine.pauseRun().pause(AUTHOR, ACME, runId, because("hold"));
    assertThat(engine.cancelRun().handle(AUTHOR, ACME, runId, "no longer needed"))
        .isEqualTo(RunStatus.CANCELLED);
    assertThat(get(runId).step("a").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(engine.queue().size()).isZero();
    assertThatThrownBy(() -> engine.pauseRun().pause(AUTHOR, ACME, runId, because("late")))
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.RUN_FINISHED);
    assertThatThrownBy(() -> engine.pauseRun().resume(AUTHOR, ACME, "run_nope", because("x")))
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.RUN_NOT_FOUND);
  }

  /** A run paused through one engine is not dispatched by another; either may resume it. */
  @Test
  void pause_holdsTheRunForEveryEngineSharingTheDatabase() {
    Engine engine = engine();
    publish(engine, wf("shared-pause", "    - {id: a, uses: core/noop}\n"));
    try (Engine other =
        EngineHarness.builder(tdb().database(), receipts())
            .transitionCoverage(coverage())
            .instance("other-pause")
            .build()) {
      String free = start(engine, "shared-pause", Map.of("n", 1));
      String held = start(engine, "shared-pause", Map.of("n", 2));
      engine.pauseRun().pause(AUTHOR, ACME, held, because("hold"));
      other.startWorkers();
      assertThat(EngineHarness.awaitEnd(other, free).status()).isEqualTo(RunStatus.SUCCEEDED);
      settle();
      assertThat(get(held).status()).isEqualTo(RunStatus.PAUSED);
      assertThat(get(held).step("a").orElseThrow().deliveries()).isZero();
      other.pauseRun().resume(AUTHOR, ACME, held, because("released elsewhere"));
      assertThat(EngineHarness.awaitEnd(other, held).status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }
}
