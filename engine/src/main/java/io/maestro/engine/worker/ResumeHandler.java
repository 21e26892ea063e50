package io.maestro.engine.worker;

import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.queue.WorkKind;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.engine.task.TaskTypes;
import io.maestro.engine.worker.Attempts.Current;
import io.maestro.engine.worker.Attempts.Prepared;
import io.maestro.store.Tx;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Wakes a WAITING step (its timer fired, or the child run it waits for finished) by asking its
 * executor to {@link TaskExecutor#resume resume}, then records the outcome like an attempt's.
 */
public final class ResumeHandler implements WorkHandler {
  /** How long to wait before retrying a resume that arrived before its step started waiting. */
  static final Duration EARLY_RESUME_DELAY = Duration.ofMillis(200);

  private final WorkQueue queue;
  private final Attempts attempts;
  private final TaskTypes types;

  ResumeHandler(WorkQueue queue, Attempts attempts, TaskTypes types) {
    this.queue = queue;
    this.attempts = attempts;
    this.types = types;
  }

  @Override
  public Attempts.Phases phases(WorkItem item, String owner, Lease lease) {
    return new Attempts.Phases(
        tx -> prepare(tx, item, owner),
        TaskExecutor::resume,
        "resume failed: ",
        (tx, outcome) -> finish(tx, item, owner, outcome));
  }

  private Optional<Prepared> prepare(Tx tx, WorkItem item, String owner) {
    Optional<Current> current = attempts.load(tx, item);
    if (current.isEmpty() || !current.get().holds(item)) {
      queue.complete(tx, item, owner);
      return Optional.empty();
    }
    if (current.get().run().status() == RunStatus.PAUSED) {
      // A timer or a child run woke a step of a paused run: it is woken once the run resumes.
      queue.holdBack(tx, item, owner);
      return Optional.empty();
    }
    RunView run = current.get().run();
    StepView step = current.get().step();
    if (step.status() == StepStatus.RUNNING) {
      // What the step waits for finished before the attempt recorded that it waits (a child run
      // that completed at once): try again shortly, once the WAITING state is committed.
      queue.complete(tx, item, owner);
      var now = attempts.clock().instant();
      queue.enqueue(
          tx,
          run.tenant(),
          run.runId(),
          step.stepId(),
          WorkKind.RESUME,
          step.attempt(),
          now.plus(EARLY_RESUME_DELAY),
          now);
      return Optional.empty();
    }
    if (step.status() != StepStatus.WAITING) {
      queue.complete(tx, item, owner);
      return Optional.empty();
    }
    TaskExecutor executor =
        types
            .get(step.uses())
            .orElseThrow(() -> new IllegalStateException("no executor for " + step.uses()));
    return Optional.of(new Prepared(executor, attempts.context(current.get(), item, Map.of())));
  }

  private void finish(Tx tx, WorkItem item, String owner, TaskOutcome outcome) {
    if (!queue.complete(tx, item, owner)) {
      return;
    }
    Optional<Current> current = attempts.load(tx, item);
    if (current.isEmpty()
        || !current.get().holds(item)
        || current.get().step().status() != StepStatus.WAITING) {
      return;
    }
    attempts.apply(tx, current.get(), outcome);
  }
}
