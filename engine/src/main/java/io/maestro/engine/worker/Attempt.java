package io.maestro.engine.worker;

import io.maestro.engine.JsonText;
import io.maestro.engine.RunView;
import io.maestro.engine.StepView;
import io.maestro.engine.internal.CappedStepLog;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.store.Tx;
import java.util.Map;
import java.util.Optional;

/**
 * The run and step a queue row is about, as read in the handler's transaction. Which step statuses
 * a handler accepts differs from handler to handler, so each checks the status itself.
 */
record Attempt(RunView run, StepView step) {

  /** The row's run and step; empty if either does not exist. */
  static Optional<Attempt> load(Attempts rt, Tx tx, WorkItem item) {
    Optional<RunView> run = rt.runs().run(tx, item.tenant(), item.runId(), true);
    Optional<StepView> step = rt.runs().step(tx, item.tenant(), item.runId(), item.stepId());
    return run.isPresent() && step.isPresent()
        ? Optional.of(new Attempt(run.get(), step.get()))
        : Optional.empty();
  }

  /** Whether the row still belongs here: the run is unfinished and the step at its attempt. */
  boolean holds(WorkItem item) {
    return !run.status().terminal() && step.attempt() == item.attempt();
  }

  Manifest manifest(Attempts rt, Tx tx) {
    return rt.registry().manifest(tx, run.tenant(), run.workflow(), run.version(), run.digest());
  }

  /** Records the attempt's outcome: the step's transition and whatever follows in its run. */
  void apply(Attempts rt, Tx tx, TaskOutcome outcome) {
    rt.applier().apply(tx, run, manifest(rt, tx), step, outcome);
  }

  /** The executor's view of this attempt, with {@code with} as its resolved parameters. */
  TaskContext context(Attempts rt, WorkItem item, Map<String, Object> with) {
    return new TaskContext(
        run.tenant(),
        run.runId(),
        step.stepId(),
        step.attempt(),
        item.idempotencyKey(),
        step.duplicates() + 1,
        run.workflow(),
        with,
        JsonText.map(run.inputs()),
        step.waitState(),
        run.startedBy(),
        new CappedStepLog(rt.logs(), run.tenant(), run.runId(), step.stepId(), rt.logCapBytes()),
        rt.clock());
  }
}
