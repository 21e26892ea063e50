package io.maestro.engine.worker;

import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.util.Optional;

/**
 * Fires a step's timeout timer. If the attempt it was set for is still RUNNING or WAITING, the
 * attempt fails with a timeout (retried when the policy says so). Recording that deletes the
 * attempt's queue rows, so the worker still executing it loses its lease and is interrupted.
 */
public final class TimeoutHandler implements WorkHandler {
  private final Database db;
  private final ReceiptWriter receipts;
  private final WorkQueue queue;
  private final Attempts attempts;

  TimeoutHandler(Database db, ReceiptWriter receipts, WorkQueue queue, Attempts attempts) {
    this.db = db;
    this.receipts = receipts;
    this.queue = queue;
    this.attempts = attempts;
  }

  @Override
  public void handle(WorkItem item, String owner, Lease lease) {
    lease.finishing(); // this one transaction settles the row
    lease.database(() -> settle(item, owner));
  }

  private Object settle(WorkItem item, String owner) {
    return receipts.inTransaction(
        db,
        TenantScope.of(item.tenant()),
        tx -> {
          if (!queue.complete(tx, item, owner)) {
            return null;
          }
          Optional<Attempt> current = Attempt.load(attempts, tx, item);
          if (current.isEmpty()
              || !current.get().holds(item)
              || !(current.get().step().status() == StepStatus.RUNNING
                  || current.get().step().status() == StepStatus.WAITING)) {
            return null;
          }
          RunView run = current.get().run();
          StepView step = current.get().step();
          Manifest manifest = current.get().manifest(attempts, tx);
          String limit =
              manifest
                  .task(step.stepId())
                  .flatMap(t -> t.timeout())
                  .map(Object::toString)
                  .orElse("?");
          attempts
              .applier()
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
