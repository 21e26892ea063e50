package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.engine.Authorization;
import io.maestro.engine.JsonText;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.expr.Bindings;
import io.maestro.engine.expr.ExpressionException;
import io.maestro.engine.expr.Expressions;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.manifest.TaskSpec;
import io.maestro.engine.queue.WorkKind;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.store.Tx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Moves a run forward after any step change, inside the same transaction: queues the steps whose
 * needs all succeeded (and whose {@code if} holds), skips the ones that cannot run, and finishes
 * the run when every step is terminal. A step that failed for good fails the run and cancels what
 * is left. A finished child run wakes its parent step. Callers hold the run's row lock.
 */
public final class Advancer {
  private static final Authorization ENGINE = Authorization.system("engine");

  private final RunStore runs;
  private final Transitions transitions;
  private final WorkQueue queue;
  private final Expressions expressions;

  public Advancer(
      RunStore runs, Transitions transitions, WorkQueue queue, Expressions expressions) {
    this.runs = runs;
    this.transitions = transitions;
    this.queue = queue;
    this.expressions = expressions;
  }

  /** The variables expressions of {@code run} see, from its inputs and finished steps. */
  public static Bindings bindings(RunView run, List<StepView> steps) {
    Map<String, Object> tasks = new LinkedHashMap<>();
    for (StepView s : steps) {
      if (s.status().terminal()) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("status", s.status().name());
        t.put("outputs", JsonText.MAPPER.convertValue(s.outputs(), Object.class));
        tasks.put(s.stepId(), t);
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", run.runId());
    r.put("workflow", run.workflow());
    r.put("version", run.version());
    r.put("tenant", run.tenant().value());
    return new Bindings(JsonText.map(run.inputs()), tasks, r, null);
  }

  /**
   * Queues or skips what can move and finishes the run when nothing is left. A PAUSED run only
   * finishes: its steps stay PENDING until it resumes (no successor is scheduled while paused), and
   * when the attempt that just ended was its last unfinished step, it succeeds.
   *
   * <p>Compensation tasks (ADR 0050) wait until a task that names them in {@code onFailure} fails
   * for good. The run is then compensating, which its steps show: that task is FAILED or TIMED_OUT
   * while the run is not finished. Only the compensation tasks it named move; when they are done
   * the run ends as that task did (FAILED or TIMED_OUT), its receipt listing how each compensation
   * ended. A run that ends without a failure skips its compensation tasks.
   */
  public RunView advance(Tx tx, RunView run, Manifest manifest) {
    if (run.status().terminal()) {
      return run;
    }
    Map<String, StepView> byId = new LinkedHashMap<>();
    runs.steps(tx, run.tenant(), run.runId()).forEach(s -> byId.put(s.stepId(), s));
    Set<String> compensation = manifest.compensationTasks();
    Optional<StepView> compensating = compensating(manifest, byId.values(), compensation);
    boolean changed = run.status() != RunStatus.PAUSED;
    while (changed) {
      changed = false;
      for (TaskSpec t : manifest.tasks()) {
        StepView s = byId.get(t.id());
        if (s == null
            || s.status() != StepStatus.PENDING
            || (compensating.isEmpty() && compensation.contains(t.id()))) {
          continue;
        }
        List<StepView> needs = t.needs().stream().map(byId::get).toList();
        if (!needs.stream().allMatch(n -> n.status().terminal())) {
          continue;
        }
        Optional<StepView> blocker =
            needs.stream().filter(n -> n.status() != StepStatus.SUCCEEDED).findFirst();
        StepView next;
        if (blocker.isPresent()) {
          String why = "needs " + blocker.get().stepId() + ", which is " + blocker.get().status();
          next = skip(tx, run, s, why);
        } else if (t.condition().isPresent()) {
          boolean holds;
          try {
            holds =
                expressions.condition(
                    t.condition().get(), bindings(run, List.copyOf(byId.values())));
          } catch (ExpressionException e) {
            StepView cancelled =
                transitions.step(
                    tx,
                    run.tenant(),
                    run.runId(),
                    s,
                    StepStatus.Event.CANCEL,
                    x -> Steps.note(x, "condition failed: " + e.detail()),
                    ENGINE,
                    JsonText.object());
            return fail(tx, run, cancelled, false, "task " + t.id() + ": " + e.detail());
          }
          next = holds ? enqueue(tx, run, s, compensating) : skip(tx, run, s, "condition is false");
        } else {
          next = enqueue(tx, run, s, compensating);
        }
        byId.put(t.id(), next);
        changed = true;
      }
    }
    boolean done =
        byId.values().stream()
            .allMatch(
                s ->
                    s.status().terminal()
                        || (compensating.isEmpty() && compensation.contains(s.stepId())));
    if (!done) {
      return run;
    }
    RunView r = run;
    if (r.status() == RunStatus.PENDING) {
      r =
          transitions.run(
              tx, r, RunStatus.Event.START, Optional.empty(), ENGINE, JsonText.object());
    }
    if (compensating.isPresent()) {
      r = compensated(tx, r, manifest, compensating.get(), byId);
    } else {
      for (StepView s : byId.values()) {
        if (!s.status().terminal()) {
          skip(tx, run, s, "no task failed, so no compensation is needed");
        }
      }
      r =
          transitions.run(
              tx, r, RunStatus.Event.SUCCEED, Optional.empty(), ENGINE, JsonText.object());
    }
    finished(tx, r);
    return r;
  }

  /**
   * The task whose compensation is underway: an ordinary task with an {@code onFailure} that failed
   * or timed out for good. Only one can be: the first such failure cancels every other ordinary
   * step ({@link #failed}).
   */
  private static Optional<StepView> compensating(
      Manifest manifest, java.util.Collection<StepView> steps, Set<String> compensation) {
    return steps.stream()
        .filter(
            s ->
                (s.status() == StepStatus.FAILED || s.status() == StepStatus.TIMED_OUT)
                    && !compensation.contains(s.stepId())
                    && manifest.task(s.stepId()).map(t -> !t.onFailure().isEmpty()).orElse(false))
        .findFirst();
  }

  /**
   * Ends a compensating run as its failed task ended; the run's error and receipt say how each of
   * the compensation tasks ended ({@code compensated} is true when none of them failed, timed out
   * or was cancelled: a skipped one had nothing to undo).
   */
  private RunView compensated(
      Tx tx, RunView run, Manifest manifest, StepView culprit, Map<String, StepView> byId) {
    ObjectNode outcome = JsonText.object();
    List<String> done = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> undone = new ArrayList<>();
    for (String id : manifest.task(culprit.stepId()).orElseThrow().onFailure()) {
      StepStatus status = byId.get(id).status();
      outcome.put(id, status.name());
      // A skipped compensation had nothing to undo (what it needs never succeeded, or its
      // condition said no); one that failed, timed out or was cancelled left its part undone.
      switch (status) {
        case SUCCEEDED -> done.add(id);
        case SKIPPED -> skipped.add(id);
        default -> undone.add(id + " " + status);
      }
    }
    String skips = skipped.isEmpty() ? "" : " (skipped: " + String.join(", ", skipped) + ")";
    String error =
        "task "
            + culprit.stepId()
            + ": "
            + culprit.error().orElse(culprit.status().name())
            + (!undone.isEmpty()
                ? "; compensation incomplete: " + String.join(", ", undone) + skips
                : done.isEmpty()
                    ? "; nothing to compensate" + skips
                    : "; compensated by " + String.join(", ", done) + skips);
    ObjectNode payload = JsonText.object().put("step", culprit.stepId());
    payload.set("compensation", outcome);
    payload.put("compensated", undone.isEmpty());
    return transitions.run(
        tx,
        run,
        culprit.status() == StepStatus.TIMED_OUT ? RunStatus.Event.TIME_OUT : RunStatus.Event.FAIL,
        Optional.of(error),
        ENGINE,
        payload);
  }

  /**
   * A step failed or timed out for good. Without an {@code onFailure} the run fails ({@link
   * #fail}). With one, the run compensates: every other unfinished ordinary step is cancelled (and
   * its queue rows removed, so a worker still running it loses its lease), the compensation tasks
   * it does not name are skipped, and the ones it names move as their needs allow. A compensation
   * task that fails for good is recorded and the others go on: each undoes something of its own.
   */
  public RunView failed(
      Tx tx, RunView run, Manifest manifest, StepView culprit, boolean timedOut, String error) {
    if (run.status().terminal()) {
      return run;
    }
    Set<String> compensation = manifest.compensationTasks();
    if (compensation.contains(culprit.stepId())) {
      return advance(tx, run, manifest);
    }
    List<String> onFailure =
        manifest.task(culprit.stepId()).map(TaskSpec::onFailure).orElse(List.of());
    if (onFailure.isEmpty()) {
      return fail(tx, run, culprit, timedOut, error);
    }
    for (StepView s : runs.steps(tx, run.tenant(), run.runId())) {
      if (s.status().terminal() || s.stepId().equals(culprit.stepId())) {
        continue;
      }
      if (!compensation.contains(s.stepId())) {
        String why = "compensating for task " + culprit.stepId();
        queue.deleteForStep(tx, run.tenant(), run.runId(), s.stepId(), Optional.empty());
        transitions.step(
            tx,
            run.tenant(),
            run.runId(),
            s,
            StepStatus.Event.CANCEL,
            x -> Steps.note(x, why),
            ENGINE,
            JsonText.object().put("reason", why));
      } else if (!onFailure.contains(s.stepId())) {
        skip(tx, run, s, "not a compensation of task " + culprit.stepId());
      }
    }
    return advance(tx, run, manifest);
  }

  private StepView skip(Tx tx, RunView run, StepView s, String why) {
    return transitions.step(
        tx,
        run.tenant(),
        run.runId(),
        s,
        StepStatus.Event.SKIP,
        x -> Steps.note(x, why),
        ENGINE,
        JsonText.object().put("reason", why));
  }

  private StepView enqueue(Tx tx, RunView run, StepView s, Optional<StepView> compensating) {
    var now = transitions.now();
    StepView next =
        transitions.step(
            tx,
            run.tenant(),
            run.runId(),
            s,
            StepStatus.Event.ENQUEUE,
            x -> Steps.queued(x, 1, now),
            ENGINE,
            compensating
                .map(c -> JsonText.object().put("compensates", c.stepId()))
                .orElseGet(JsonText::object));
    queue.enqueueAttempt(tx, run.tenant(), run.runId(), s.stepId(), s.uses(), 1, now, now);
    return next;
  }

  /**
   * Fails the run because {@code culprit} failed or timed out for good: every other unfinished step
   * is cancelled and the queue rows of the run are removed.
   */
  public RunView fail(Tx tx, RunView run, StepView culprit, boolean timedOut, String error) {
    if (run.status().terminal()) {
      return run;
    }
    cancelSteps(tx, run, Optional.of(culprit.stepId()), "run failed");
    RunView r = run;
    if (r.status() == RunStatus.PENDING) {
      r =
          transitions.run(
              tx, r, RunStatus.Event.START, Optional.empty(), ENGINE, JsonText.object());
    }
    r =
        transitions.run(
            tx,
            r,
            timedOut ? RunStatus.Event.TIME_OUT : RunStatus.Event.FAIL,
            Optional.of(error),
            ENGINE,
            JsonText.object().put("step", culprit.stepId()));
    finished(tx, r);
    return r;
  }

  /** Cancels the run on request: unfinished steps are cancelled, queue rows removed. */
  public RunView cancel(Tx tx, RunView run, Authorization by, String reason) {
    cancelSteps(tx, run, Optional.empty(), reason);
    RunView r =
        transitions.run(
            tx,
            run,
            RunStatus.Event.CANCEL,
            Optional.of(reason),
            by,
            JsonText.object().put("reason", reason));
    finished(tx, r);
    return r;
  }

  private void cancelSteps(Tx tx, RunView run, Optional<String> except, String reason) {
    for (StepView s : runs.steps(tx, run.tenant(), run.runId())) {
      if (!s.status().terminal() && except.map(e -> !e.equals(s.stepId())).orElse(true)) {
        transitions.step(
            tx,
            run.tenant(),
            run.runId(),
            s,
            StepStatus.Event.CANCEL,
            x -> Steps.note(x, reason),
            ENGINE,
            JsonText.object().put("reason", reason));
      }
    }
  }

  /** A run reached a terminal state: drop its queue rows and wake its parent step, if any. */
  private void finished(Tx tx, RunView run) {
    queue.deleteForRun(tx, run.tenant(), run.runId());
    if (run.parent().isPresent()) {
      var parent = run.parent().get();
      runs.step(tx, run.tenant(), parent.runId(), parent.stepId())
          .filter(s -> !s.status().terminal())
          .ifPresent(
              s -> {
                var now = transitions.now();
                queue.enqueue(
                    tx,
                    run.tenant(),
                    parent.runId(),
                    parent.stepId(),
                    WorkKind.RESUME,
                    s.attempt(),
                    now,
                    now);
              });
    }
  }
}
