package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.engine.Authorization;
import io.maestro.engine.RunLogs;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.TransitionCoverage;
import io.maestro.engine.TransitionTable;
import io.maestro.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Applies one transition of a run or a step inside a transaction: asks the transition table for the
 * target state (an edge that is not in the table throws and rolls everything back), writes the row,
 * emits the receipt and an engine line in the run log. Every status change in the engine goes
 * through here.
 */
public final class Transitions {
  private final RunStore runs;
  private final ReceiptWriter receipts;
  private final RunLogs logs;
  private final Clock clock;
  // Where a test collects the edges taken; null when none is installed (production).
  private final TransitionCoverage coverage;

  /**
   * @param coverage records each edge taken, for tests; {@code null} records nothing
   */
  public Transitions(
      RunStore runs,
      ReceiptWriter receipts,
      RunLogs logs,
      Clock clock,
      TransitionCoverage coverage) {
    this.runs = runs;
    this.receipts = receipts;
    this.logs = logs;
    this.clock = clock;
    this.coverage = coverage;
  }

  public Instant now() {
    return clock.instant();
  }

  /**
   * Moves a step along {@code event}; {@code change} adjusts the other fields of the new row (its
   * status is already set).
   */
  public StepView step(
      Tx tx,
      TenantId tenant,
      String runId,
      StepView step,
      StepStatus.Event event,
      UnaryOperator<StepView> change,
      Authorization by,
      ObjectNode payload) {
    StepStatus to = take(StepStatus.TRANSITIONS.next(step.status(), event));
    StepView next = change.apply(Steps.moved(step, to));
    if (to.terminal() && next.finishedAt().isEmpty()) {
      next = Steps.finished(next, clock.instant());
    }
    runs.updateStep(tx, tenant, runId, next);
    ObjectNode p = payload;
    if (step.status() == StepStatus.RUNNING && to != StepStatus.RUNNING) {
      // The attempt's execution time, from its first delivery: what metering bills as step time.
      Instant now = clock.instant();
      long ms = step.startedAt().map(at -> Duration.between(at, now).toMillis()).orElse(0L);
      p = payload.deepCopy().put("durationMs", Math.max(0, ms));
    }
    receipts.step(
        tx, tenant, by, runId, step.stepId(), next.attempt(), step.status(), event, to, p);
    if (to == StepStatus.SUCCEEDED && next.outputs() != null && !next.outputs().isNull()) {
      receipts.stored(
          tx,
          tenant,
          runId,
          runId + "/" + step.stepId() + "#" + next.attempt() + "/outputs",
          next.outputs().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
    String why =
        next.error().filter(e -> !to.equals(StepStatus.SUCCEEDED)).map(e -> ": " + e).orElse("");
    logs.append(
        tx,
        tenant,
        runId,
        Optional.of(step.stepId()),
        "engine",
        "step "
            + step.stepId()
            + " "
            + step.status()
            + " -> "
            + to
            + " (attempt "
            + next.attempt()
            + ")"
            + (to == StepStatus.READY || to.terminal() ? why : ""));
    return next;
  }

  /** Moves a run along {@code event}, stamping start and finish times. */
  public RunView run(
      Tx tx,
      RunView run,
      RunStatus.Event event,
      Optional<String> error,
      Authorization by,
      ObjectNode payload) {
    RunStatus to = take(RunStatus.TRANSITIONS.next(run.status(), event));
    Instant now = clock.instant();
    Optional<Instant> started = run.startedAt().or(() -> Optional.of(now));
    Optional<Instant> finished = to.terminal() ? Optional.of(now) : Optional.empty();
    runs.updateRun(tx, run.tenant(), run.runId(), to, error, started, finished);
    receipts.run(tx, run.tenant(), by, run.runId(), run.status(), event, to, payload);
    logs.append(
        tx,
        run.tenant(),
        run.runId(),
        Optional.empty(),
        "engine",
        "run " + run.status() + " -> " + to + error.map(e -> ": " + e).orElse(""));
    return new RunView(
        run.tenant(),
        run.runId(),
        run.workflow(),
        run.version(),
        run.digest(),
        to,
        run.inputs(),
        error.or(run::error),
        run.startedBy(),
        run.decisionId(),
        run.admission(),
        run.idempotencyKey(),
        run.parent(),
        run.trigger(),
        run.createdAt(),
        started,
        finished,
        run.steps());
  }

  private <S> S take(TransitionTable.Edge<S, ?> edge) {
    if (coverage != null) {
      coverage.taken(edge);
    }
    return edge.to();
  }
}
