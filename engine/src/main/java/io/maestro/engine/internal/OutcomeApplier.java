package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.JsonText;
import io.maestro.engine.OutputLimits;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.expr.Bindings;
import io.maestro.engine.expr.ExpressionException;
import io.maestro.engine.expr.Expressions;
import io.maestro.engine.expr.JsonSize;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.manifest.TaskSpec;
import io.maestro.engine.queue.WorkKind;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Records what an attempt came to, in the transaction that also removes its queue row: success
 * (outputs evaluated, the run moves on), failure (retried with backoff when the policy says so,
 * else the run fails, or compensates when the task has an {@code onFailure}) or a wait (a timer row
 * when it has a deadline). Callers hold the run's lock and have checked that {@code step} is the
 * current attempt in RUNNING or WAITING.
 */
public final class OutcomeApplier {
  private static final Authorization ENGINE = Authorization.system("engine");

  private final RunStore runs;
  private final Transitions transitions;
  private final Advancer advancer;
  private final WorkQueue queue;
  private final Expressions expressions;
  private final RandomGenerator random;
  private final OutputLimits limits;

  public OutcomeApplier(
      RunStore runs,
      Transitions transitions,
      Advancer advancer,
      WorkQueue queue,
      Expressions expressions,
      RandomGenerator random,
      OutputLimits limits) {
    this.limits = limits;
    this.runs = runs;
    this.transitions = transitions;
    this.advancer = advancer;
    this.queue = queue;
    this.expressions = expressions;
    this.random = random;
  }

  public void apply(Tx tx, RunView run, Manifest manifest, StepView step, TaskOutcome outcome) {
    apply(tx, run, manifest, step, outcome, ENGINE, JsonText.object());
  }

  /**
   * As {@link #apply(Tx, RunView, Manifest, StepView, TaskOutcome)}, with the step's transition
   * receipted under {@code by} (an external worker's policy decision) and {@code note} added to its
   * payload (the worker's identity).
   */
  public void apply(
      Tx tx,
      RunView run,
      Manifest manifest,
      StepView step,
      TaskOutcome outcome,
      Authorization by,
      ObjectNode note) {
    TaskSpec spec = manifest.task(step.stepId()).orElseThrow();
    switch (outcome) {
      case TaskOutcome.Succeeded s -> succeed(tx, run, manifest, spec, step, s.output(), by, note);
      case TaskOutcome.Failed f -> fail(tx, run, manifest, spec, step, f, by, note);
      case TaskOutcome.Waiting w -> waiting(tx, run, step, w);
    }
  }

  private void succeed(
      Tx tx,
      RunView run,
      Manifest manifest,
      TaskSpec spec,
      StepView step,
      Object output,
      Authorization by,
      ObjectNode note) {
    JsonNode outputs;
    try {
      outputs = outputs(spec, output, run, tx);
    } catch (ExpressionException e) {
      String message = "outputs: " + e.detail();
      fail(
          tx,
          run,
          manifest,
          spec,
          step,
          e.code() == EngineErrors.OUTPUT_TOO_LARGE
              ? TaskOutcome.Failed.permanent(message)
              : new TaskOutcome.Failed(ErrorKind.USER, message),
          by,
          note);
      return;
    }
    Optional<String> refused = refuseToStore(tx, run, outputs);
    if (refused.isPresent()) {
      fail(tx, run, manifest, spec, step, TaskOutcome.Failed.permanent(refused.get()), by, note);
      return;
    }
    if (spec.timeout().isPresent()) {
      // Its timeout timer is the only row that can still exist for a step that succeeds (any
      // stale row is discarded when claimed, and all of them go when the run ends).
      queue.deleteForStep(tx, run.tenant(), run.runId(), step.stepId(), Optional.empty());
    }
    transitions.step(
        tx,
        run.tenant(),
        run.runId(),
        step,
        StepStatus.Event.SUCCEED,
        x -> Steps.succeeded(x, outputs),
        by,
        note.deepCopy());
    advancer.advance(tx, run, manifest);
  }

  /**
   * Why a step's output cannot be stored, checked before anything is: over the step's, the run's or
   * the tenant's limit ({@code output_too_large}), or text PostgreSQL cannot store, a NUL character
   * ({@code output_invalid}; refused rather than altered, so what is stored is what the step made).
   * Otherwise the run's and so the tenant's usage grows by its size.
   */
  private Optional<String> refuseToStore(Tx tx, RunView run, JsonNode outputs) {
    long size = JsonSize.of(outputs);
    String tooLarge = EngineErrors.OUTPUT_TOO_LARGE.code() + ": ";
    if (size > limits.maxStepBytes()) {
      return Optional.of(
          tooLarge
              + "the step's output is "
              + size
              + " bytes, more than the limit of "
              + limits.maxStepBytes()
              + " (engine.maxStepOutputBytes)");
    }
    if (JsonSize.hasNul(outputs)) {
      return Optional.of(
          EngineErrors.OUTPUT_INVALID.code()
              + ": the step's output contains the NUL character (U+0000), which cannot be stored");
    }
    long runTotal = runs.outputBytes(tx, run.tenant(), run.runId()) + size;
    if (runTotal > limits.maxRunBytes()) {
      return Optional.of(
          tooLarge
              + "the run's outputs would reach "
              + runTotal
              + " bytes, more than the limit of "
              + limits.maxRunBytes()
              + " (engine.maxRunOutputBytes)");
    }
    long quota = limits.tenantStorage().maxBytes(run.tenant());
    if (quota != Long.MAX_VALUE) {
      long tenantTotal = runs.tenantOutputBytes(tx, run.tenant()) + size;
      if (tenantTotal > quota) {
        return Optional.of(
            tooLarge
                + "tenant "
                + run.tenant().value()
                + " would store "
                + tenantTotal
                + " bytes of step output, more than its storage quota of "
                + quota);
      }
    }
    runs.addOutputBytes(tx, run.tenant(), run.runId(), size);
    return Optional.empty();
  }

  private JsonNode outputs(TaskSpec spec, Object output, RunView run, Tx tx) {
    if (spec.outputs().isEmpty()) {
      return JsonText.tree(output);
    }
    Bindings b =
        Advancer.bindings(run, runs.steps(tx, run.tenant(), run.runId())).withResult(output);
    Map<String, Object> out = new LinkedHashMap<>();
    spec.outputs()
        .forEach(
            (name, expr) ->
                out.put(
                    name,
                    expr.contains("${{")
                        ? expressions.render(expr, b)
                        : expressions.evaluate(expr, b)));
    return JsonText.tree(out);
  }

  private void fail(
      Tx tx,
      RunView run,
      Manifest manifest,
      TaskSpec spec,
      StepView step,
      TaskOutcome.Failed given,
      Authorization by,
      ObjectNode note) {
    // A task's error text (a command's stderr, say) may carry NUL, which PostgreSQL cannot store.
    TaskOutcome.Failed f =
        new TaskOutcome.Failed(
            given.kind(), given.message().replace("\0", "\\u0000"), given.permanent());
    queue.deleteForStep(tx, run.tenant(), run.runId(), step.stepId(), Optional.empty());
    if (step.status() == StepStatus.RUNNING
        && !f.permanent()
        && spec.retry().retries(step.attempt(), f.kind())) {
      Duration delay = spec.retry().delayAfter(step.attempt(), random);
      Instant now = transitions.now();
      Instant readyAt = now.plus(delay);
      int next = step.attempt() + 1;
      transitions.step(
          tx,
          run.tenant(),
          run.runId(),
          step,
          StepStatus.Event.RETRY,
          x -> Steps.queued(Steps.failed(x, f.kind(), f.message()), next, readyAt),
          by,
          note.deepCopy()
              .put("error", f.message())
              .put("kind", f.kind().word())
              .put("delayMillis", delay.toMillis()));
      queue.enqueueAttempt(
          tx, run.tenant(), run.runId(), step.stepId(), step.uses(), next, readyAt, now);
      if (run.status() == RunStatus.PAUSED) {
        queue.holdRun(tx, run.tenant(), run.runId()); // the retry waits for the run to resume
      }
      return;
    }
    boolean timedOut = f.kind() == ErrorKind.TIMEOUT;
    StepView failed =
        transitions.step(
            tx,
            run.tenant(),
            run.runId(),
            step,
            timedOut ? StepStatus.Event.TIME_OUT : StepStatus.Event.FAIL,
            x -> Steps.failed(x, f.kind(), f.message()),
            by,
            note.deepCopy().put("error", f.message()).put("kind", f.kind().word()));
    advancer.failed(
        tx, run, manifest, failed, timedOut, "task " + step.stepId() + ": " + f.message());
  }

  private void waiting(Tx tx, RunView run, StepView step, TaskOutcome.Waiting w) {
    if (step.status() == StepStatus.WAITING) {
      // A resume that found the awaited thing unfinished (a spurious wake-up): keep waiting. Only
      // a new deadline needs a new timer row.
      runs.updateStep(tx, run.tenant(), run.runId(), Steps.waiting(step, w.state()));
    } else {
      transitions.step(
          tx,
          run.tenant(),
          run.runId(),
          step,
          StepStatus.Event.WAIT,
          x -> Steps.waiting(x, w.state()),
          ENGINE,
          JsonText.object());
    }
    if (w.resumeAt().isPresent()) {
      queue.enqueue(
          tx,
          run.tenant(),
          run.runId(),
          step.stepId(),
          WorkKind.RESUME,
          step.attempt(),
          w.resumeAt().get(),
          transitions.now());
      if (run.status() == RunStatus.PAUSED) {
        queue.holdRun(tx, run.tenant(), run.runId()); // the timer fires once the run resumes
      }
    }
  }
}
