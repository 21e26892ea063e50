package io.maestro.engine.run;

import static io.maestro.engine.EngineHarness.ACME;
import static io.maestro.engine.EngineHarness.publish;
import static io.maestro.engine.EngineHarness.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.engine.Engine;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.EngineReceipts;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Compensation (ADR 0050), inherited by {@link EngineContract} so that it runs on H2 and PostgreSQL
 * and counts towards its transition coverage: a task that fails or times out for good runs the
 * compensation tasks its {@code onFailure} names, each queued, run and receipted like any step, and
 * the run then ends as that task did.
 */
abstract class CompensationScenarios extends PausedRunScenarios {
  private static String wf(String name, String tasks) {
    return "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: "
        + name
        + ", version: \"1\"}\nspec:\n  tasks:\n"
        + tasks;
  }

  private List<EngineReceipts.Receipt> ofRun(String runId) {
    return receipts().all().stream()
        .filter(r -> r.subjectId().equals(runId) || r.subjectId().startsWith(runId + "/"))
        .toList();
  }

  private static String label(EngineReceipts.Receipt r) {
    return r.type().catalogueName() + " " + r.subjectId().substring(r.subjectId().indexOf('/') + 1);
  }

  @Test
  void timeout_runsTheNamedCompensationsThenEndsTheRunTimedOut() {
    Engine engine = engine();
    publish(
        engine,
        wf(
            "saga",
            """
                - {id: reserve, uses: core/noop}
                - id: charge
                  uses: test/sleep
                  with: {ms: 10000}
                  needs: [reserve]
                  timeout: 200ms
                  onFailure: [release, notify]
                - id: ship
                  uses: core/noop
                  needs: [charge]
                  onFailure: [recall]
                - {id: release, uses: core/noop, needs: [reserve]}
                - {id: notify, uses: core/noop, needs: [release]}
                - {id: recall, uses: core/noop}
            """));
    engine.startWorkers();
    String runId = start(engine, "saga", Map.of());
    RunView run = EngineHarness.awaitEnd(engine, runId);

    assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
    assertThat(run.error())
        .hasValueSatisfying(
            e ->
                assertThat(e)
                    .startsWith("task charge: attempt 1 timed out after")
                    .endsWith("; compensated by release, notify"));
    assertThat(run.step("reserve").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(run.step("charge").orElseThrow().status()).isEqualTo(StepStatus.TIMED_OUT);
    assertThat(run.step("ship").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(run.step("release").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(run.step("notify").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(run.step("recall").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(engine.queue().size()).isZero();

    awaitReceipt(runId, "run.timed_out");
    List<String> order = ofRun(runId).stream().map(CompensationScenarios::label).toList();
    // The failure, then the compensation in its needs order, then the outcome.
    assertThat(order)
        .containsSubsequence(
            "step.timed_out charge",
            "step.queued release",
            "step.completed release",
            "step.queued notify",
            "step.completed notify",
            "run.timed_out " + runId);
    EngineReceipts.Receipt queued =
        ofRun(runId).stream()
            .filter(r -> label(r).equals("step.queued release"))
            .findFirst()
            .orElseThrow();
    assertThat(queued.payload().path("compensates").asText()).isEqualTo("charge");
    EngineReceipts.Receipt end =
        ofRun(runId).stream()
            .filter(r -> r.type() == EngineReceipts.Type.RUN_TIMED_OUT)
            .findFirst()
            .orElseThrow();
    assertThat(end.payload().path("step").asText()).isEqualTo("charge");
    assertThat(end.payload().path("compensated").asBoolean()).isTrue();
    assertThat(end.payload().path("compensation").toString())
        .isEqualTo("{\"release\":\"SUCCEEDED\",\"notify\":\"SUCCEEDED\"}");
  }

  @Test
  void success_skipsEveryCompensationTask() {
    Engine engine = engine();
    publish(
        engine,
        wf(
            "saga-ok",
            """
                - {id: charge, uses: core/noop, onFailure: [refund]}
                - {id: refund, uses: core/noop}
            """));
    engine.startWorkers();
    String runId = start(engine, "saga-ok", Map.of());
    RunView run = EngineHarness.awaitEnd(engine, runId);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.step("refund").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(run.step("refund").orElseThrow().deliveries()).isZero();
  }

  /**
   * A compensation that fails for good is recorded and the others still run; one that needs a task
   * that did not succeed is skipped (only what was done is undone), which is not a failure. The run
   * fails and says what was left undone.
   */
  @Test
  void failedCompensation_isRecordedAndTheOthersStillRun() {
    Engine engine = engine();
    publish(
        engine,
        wf(
            "saga-bad",
            """
                - {id: slow, uses: core/wait, with: {duration: 1h}}
                - id: charge
                  uses: core/fail
                  with: {message: card declined}
                  retry: {max: 1, backoff: 10ms, on: [error]}
                  onFailure: [undoSlow, refund, audit]
                - {id: undoSlow, uses: core/noop, needs: [slow]}
                - {id: refund, uses: core/fail, with: {message: refund refused}}
                - {id: audit, uses: core/noop}
            """));
    engine.startWorkers();
    String runId = start(engine, "saga-bad", Map.of());
    RunView run = EngineHarness.awaitEnd(engine, runId);

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    // undoSlow had nothing to undo (slow never succeeded): skipped, not a failed compensation.
    assertThat(run.error())
        .hasValue(
            "task charge: card declined; compensation incomplete: refund FAILED (skipped:"
                + " undoSlow)");
    assertThat(run.step("charge").orElseThrow().attempt()).isEqualTo(2);
    assertThat(run.step("slow").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(run.step("undoSlow").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(run.step("refund").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(run.step("audit").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    awaitReceipt(runId, "run.failed");
    EngineReceipts.Receipt end =
        ofRun(runId).stream()
            .filter(r -> r.type() == EngineReceipts.Type.RUN_FAILED)
            .findFirst()
            .orElseThrow();
    assertThat(end.payload().path("compensated").asBoolean()).isFalse();
    assertThat(end.payload().path("compensation").path("refund").asText()).isEqualTo("FAILED");
    assertThat(engine.queue().size()).isZero();
  }

  /** A task without onFailure fails the run at once, compensation tasks of others included. */
  @Test
  void failureWithoutOnFailure_cancelsTheCompensationTasksOfOthers() {
    Engine engine = engine();
    publish(
        engine,
        wf(
            "saga-plain",
            """
                - {id: a, uses: core/noop, onFailure: [undoA]}
                - {id: b, uses: core/fail, with: {message: boom}, needs: [a]}
                - {id: undoA, uses: core/noop}
            """));
    engine.startWorkers();
    RunView run = EngineHarness.awaitEnd(engine, start(engine, "saga-plain", Map.of()));
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error()).contains("task b: boom");
    assertThat(run.step("undoA").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(engine.runs().get(ACME, run.runId()).orElseThrow().status())
        .isEqualTo(RunStatus.FAILED);
  }

  /** The recorder keeps a transaction's receipts just after it commits: wait for the last one. */
  private void awaitReceipt(String runId, String type) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (ofRun(runId).stream().noneMatch(r -> r.type().catalogueName().equals(type))
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
