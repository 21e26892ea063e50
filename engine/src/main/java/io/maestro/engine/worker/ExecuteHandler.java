package io.maestro.engine.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.JsonText;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.expr.ExpressionException;
import io.maestro.engine.expr.Expressions;
import io.maestro.engine.internal.Advancer;
import io.maestro.engine.internal.Steps;
import io.maestro.engine.internal.Transitions;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.manifest.TaskSpec;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.queue.WorkKind;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.engine.task.TaskTypes;
import io.maestro.engine.worker.Attempts.Current;
import io.maestro.engine.worker.Attempts.Prepared;
import io.maestro.store.Tx;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one attempt of a step: (1) a transaction marks the step RUNNING (or, when the attempt was
 * already RUNNING because its previous holder died, counts a duplicate delivery), writes the
 * timeout timer and evaluates {@code with}; (2) the executor runs outside any transaction; (3) a
 * transaction records the outcome and deletes the queue row, unless the lease was lost meanwhile
 * (then the result is discarded and logged).
 */
public final class ExecuteHandler implements WorkHandler {
  private static final Authorization ENGINE = Authorization.system("worker");

  /**
   * How many times one attempt may be delivered before the engine gives up on it. An attempt that
   * kills its worker every time (a poison step) would otherwise be redelivered forever.
   */
  public static final int MAX_DELIVERIES = 5;

  private final WorkQueue queue;
  private final Attempts attempts;
  private final Transitions transitions;
  private final Expressions expressions;
  private final TaskTypes types;

  ExecuteHandler(
      WorkQueue queue,
      Attempts attempts,
      Transitions transitions,
      Expressions expressions,
      TaskTypes types) {
    this.queue = queue;
    this.attempts = attempts;
    this.transitions = transitions;
    this.expressions = expressions;
    this.types = types;
  }

  Attempts attempts() {
    return attempts;
  }

  @Override
  public Attempts.Phases phases(WorkItem item, String owner, Lease lease) {
    return new Attempts.Phases(
        tx -> prepare(tx, item, owner),
        (executor, context) -> execute(item, lease, executor, context),
        "executor crashed: ",
        (tx, outcome) -> finish(tx, item, owner, outcome));
  }

  private TaskOutcome execute(
      WorkItem item, Lease lease, TaskExecutor executor, TaskContext context)
      throws InterruptedException {
    try {
      return executor.execute(context);
    } catch (InterruptedException e) {
      lease.databaseRun(
          () ->
              attempts
                  .logs()
                  .append(
                      item.tenant(),
                      item.runId(),
                      Optional.of(item.stepId()),
                      "engine",
                      "attempt "
                          + item.attempt()
                          + " interrupted: its lease was lost or the step ended"));
      throw e;
    }
  }

  private Optional<Prepared> prepare(Tx tx, WorkItem item, String owner) {
    return prepare(tx, item, owner, ENGINE, JsonText.object().put("worker", owner));
  }

  /**
   * Phase 1 of an attempt, shared with external workers ({@link ExternalTasks}): the step's START
   * (or REDELIVER) is receipted under {@code by} with {@code note} in its payload.
   */
  Optional<Prepared> prepare(
      Tx tx, WorkItem item, String owner, Authorization by, ObjectNode note) {
    Optional<Current> current = attempts.load(tx, item);
    if (current.isEmpty()
        || !current.get().holds(item)
        || !(current.get().step().status() == StepStatus.READY
            || current.get().step().status() == StepStatus.RUNNING)) {
      queue.complete(tx, item, owner); // stale row: the step moved on without it
      return Optional.empty();
    }
    if (current.get().run().status() == RunStatus.PAUSED) {
      // Written while the run was pausing (a retry) or left unheld by a race: not dispatched.
      queue.holdBack(tx, item, owner);
      return Optional.empty();
    }
    RunView run = current.get().run();
    StepView step = current.get().step();
    Manifest manifest = attempts.manifest(tx, current.get());
    TaskSpec spec = manifest.task(step.stepId()).orElseThrow();
    Instant now = attempts.clock().instant();
    if (step.status() == StepStatus.RUNNING && item.claims() > MAX_DELIVERIES) {
      queue.complete(tx, item, owner);
      attempts
          .applier()
          .apply(
              tx,
              run,
              manifest,
              step,
              new TaskOutcome.Failed(
                  ErrorKind.PLATFORM,
                  "attempt "
                      + step.attempt()
                      + " was delivered "
                      + (item.claims() - 1)
                      + " times without a result; giving up on it"));
      return Optional.empty();
    }
    if (step.status() == StepStatus.READY) {
      step =
          transitions.step(
              tx,
              run.tenant(),
              run.runId(),
              step,
              StepStatus.Event.START,
              x -> Steps.delivered(x, false, now),
              by,
              note.deepCopy());
      if (run.status() == RunStatus.PENDING) {
        run =
            transitions.run(
                tx, run, RunStatus.Event.START, Optional.empty(), ENGINE, JsonText.object());
      }
      if (spec.timeout().isPresent()) {
        queue.enqueue(
            tx,
            run.tenant(),
            run.runId(),
            step.stepId(),
            WorkKind.TIMEOUT,
            step.attempt(),
            now.plus(spec.timeout().get()),
            now);
      }
    } else {
      step =
          transitions.step(
              tx,
              run.tenant(),
              run.runId(),
              step,
              StepStatus.Event.REDELIVER,
              x -> Steps.delivered(x, true, now),
              by,
              note.deepCopy().put("claims", item.claims()));
      attempts
          .logs()
          .append(
              tx,
              run.tenant(),
              run.runId(),
              Optional.of(step.stepId()),
              "engine",
              "attempt "
                  + step.attempt()
                  + " delivered again (its previous worker lost the lease); duplicate recorded,"
                  + " idempotency key "
                  + item.idempotencyKey());
    }
    Map<String, Object> with;
    try {
      Object resolved =
          expressions.resolve(
              spec.with(),
              Advancer.bindings(
                  run,
                  // Only expressions need the other steps' outputs.
                  spec.with().toString().contains("${{")
                      ? attempts.runs().steps(tx, run.tenant(), run.runId())
                      : List.of()));
      with = resolved instanceof Map<?, ?> m ? stringKeys(m) : Map.of();
    } catch (ExpressionException e) {
      queue.complete(tx, item, owner);
      attempts
          .applier()
          .apply(
              tx,
              run,
              manifest,
              step,
              e.code() == EngineErrors.OUTPUT_TOO_LARGE
                  ? TaskOutcome.Failed.permanent("with: " + e.detail())
                  : new TaskOutcome.Failed(ErrorKind.USER, "with: " + e.detail()));
      return Optional.empty();
    }
    TaskExecutor executor =
        types
            .get(spec.uses())
            .orElseThrow(() -> new IllegalStateException("no executor for " + spec.uses()));
    // The step may have moved (START or REDELIVER) above: the context describes it as it is now.
    return Optional.of(
        new Prepared(executor, attempts.context(new Current(run, step), item, with)));
  }

  private void finish(Tx tx, WorkItem item, String owner, TaskOutcome outcome) {
    if (!queue.complete(tx, item, owner)) {
      attempts
          .logs()
          .append(
              tx,
              item.tenant(),
              item.runId(),
              Optional.of(item.stepId()),
              "engine",
              "result of attempt " + item.attempt() + " discarded: this worker no longer holds it");
      return;
    }
    Optional<Current> current = attempts.load(tx, item);
    if (current.isEmpty()
        || !current.get().holds(item)
        || current.get().step().status() != StepStatus.RUNNING) {
      attempts
          .logs()
          .append(
              tx,
              item.tenant(),
              item.runId(),
              Optional.of(item.stepId()),
              "engine",
              "late result of attempt "
                  + item.attempt()
                  + " discarded: the step is "
                  + current
                      .map(a -> a.step().status() + " at attempt " + a.step().attempt())
                      .orElse("gone"));
      return;
    }
    attempts.apply(tx, current.get(), outcome);
  }

  static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
