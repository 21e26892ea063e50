package io.maestro.engine.worker;

import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.run.RunView;
import io.maestro.engine.run.StepStatus;
import io.maestro.engine.run.StepView;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.store.TenantScope;

/**
 * Fires a step's timeout timer. If the attempt it was set for is still RUNNING or WAITING, the
 * attempt fails with a timeout (retried when the policy says so). Recording that deletes the
 * attempt's queue rows, so the worker still executing it loses its lease and is interrupted.
 */
public final class TimeoutHandler implements WorkHandler {
  private final StepRuntime rt;

  public TimeoutHandler(StepRuntime rt) {
    this.rt = rt;
  }

  @Override
  public void handle(WorkItem item, String owner) {
    rt.receipts()
        .inTransaction(
            rt.db(),
            TenantScope.of(item.tenant()),
            tx -> {
              if (!rt.queue().complete(tx, item, owner)) {
                return null;
              }
              RunView run = rt.runs().run(tx, item.tenant(), item.runId(), true).orElse(null);
              StepView step =
                  rt.runs().step(tx, item.tenant(), item.runId(), item.stepId()).orElse(null);
              if (run == null
                  || step == null
                  || run.status().terminal()
                  || step.attempt() != item.attempt()
                  || !(step.status() == StepStatus.RUNNING
                      || step.status() == StepStatus.WAITING)) {
                return null;
              }
              Manifest manifest =
                  rt.registry()
                      .manifest(tx, run.tenant(), run.workflow(), run.version(), run.digest());
              String limit =
                  manifest
                      .task(step.stepId())
                      .flatMap(t -> t.timeout())
                      .map(Object::toString)
                      .orElse("?");
              rt.applier()
                  .apply(
                      tx,
                      run,
                      manifest,
                      step,
                      new TaskOutcome.Failed(
                          ErrorKind.TIMEOUT,
                          "attempt " + step.attempt() + " timed out after " + limit));
              return null;
            });
  }
}
