package io.maestro.engine.worker;

import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.util.Optional;

/**
 * The three phases that executing and resuming an attempt share: (1) a transaction checks the row
 * and prepares the executor's context, (2) the executor runs outside any transaction, so no locks
 * or connections are held while a task takes its time, (3) a second transaction records the
 * outcome. The handlers supply what differs: the checks, which executor method to call and how to
 * treat a result that arrives too late.
 */
final class AttemptCycle {
  private AttemptCycle() {}

  /** An executor and the context to call it with, prepared in phase 1. */
  record Prepared(TaskExecutor executor, TaskContext context) {}

  /** Phase 1, inside the transaction. */
  @FunctionalInterface
  interface Prepare {
    Optional<Prepared> prepare(Tx tx);
  }

  /** Phase 2: executes or resumes; interruption means the lease was lost. */
  @FunctionalInterface
  interface Call {
    TaskOutcome call(TaskExecutor executor, TaskContext context) throws InterruptedException;
  }

  /** Phase 3, inside the transaction. */
  @FunctionalInterface
  interface Finish {
    void finish(Tx tx, TaskOutcome outcome);
  }

  /**
   * Runs the phases. {@code prepare} returns empty when there is nothing to run (it then settled
   * the row itself). An executor that throws a runtime exception has failed with a platform error,
   * described as {@code crashed} followed by the exception.
   */
  static void run(
      StepRuntime rt, WorkItem item, Prepare prepare, Call call, String crashed, Finish finish)
      throws InterruptedException {
    TenantScope scope = TenantScope.of(item.tenant());
    Optional<Prepared> p = rt.receipts().inTransaction(rt.db(), scope, prepare::prepare);
    if (p.isEmpty()) {
      return;
    }
    TaskOutcome outcome;
    try {
      outcome = call.call(p.get().executor(), p.get().context());
    } catch (RuntimeException e) {
      outcome = new TaskOutcome.Failed(ErrorKind.PLATFORM, crashed + e);
    }
    TaskOutcome result = outcome;
    rt.receipts()
        .inTransaction(
            rt.db(),
            scope,
            tx -> {
              finish.finish(tx, result);
              return null;
            });
  }
}
