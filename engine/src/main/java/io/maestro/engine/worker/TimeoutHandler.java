package io.maestro.engine.worker;

import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.engine.worker.Attempts.Current;
import io.maestro.store.Tx;
import java.util.Optional;

/**
 * Fires a step's timeout timer. If the attempt it was set for is still RUNNING or WAITING, the
 * attempt fails with a timeout (retried when the policy says so). Recording that deletes the
 * attempt's queue rows, so the worker still executing it loses its lease and is interrupted.
 */
public final class TimeoutHandler implements WorkHandler {
  private final WorkQueue queue;
  private final Attempts attempts;

  TimeoutHandler(WorkQueue queue, Attempts attempts) {
    this.queue = queue;
    this.attempts = attempts;
  }

  /** One transaction settles the row: the first phase, with nothing prepared to run. */
  @Override
  public Attempts.Phases phases(WorkItem item, String owner, Lease lease) {
    return new Attempts.Phases(
        tx -> {
          settle(tx, item, owner);
          return Optional.empty();
        },
        (executor, context) -> {
          throw new IllegalStateException("a timeout runs no executor");
        },
        "",
        (tx, outcome) -> {});
  }

  private void settle(Tx tx, WorkItem item, String owner) {
    if (!queue.complete(tx, item, owner)) {
      return;
    }
    Optional<Current> current = attempts.load(tx, item);
    if (current.isEmpty()
        || !current.get().holds(item)
        || !(current.get().step().status() == StepStatus.RUNNING
            || current.get().step().status() == StepStatus.WAITING)) {
      return;
    }
    RunView run = current.get().run();
    StepView step = current.get().step();
    Manifest manifest = attempts.manifest(tx, current.get());
    String limit =
        manifest.task(step.stepId()).flatMap(t -> t.timeout()).map(Object::toString).orElse("?");
    attempts
        .applier()
        .apply(
            tx,
            run,
            manifest,
            step,
            new TaskOutcome.Failed(
                ErrorKind.TIMEOUT, "attempt " + step.attempt() + " timed out after " + limit));
  }
}
