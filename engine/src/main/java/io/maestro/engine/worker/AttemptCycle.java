package io.maestro.engine.worker;

import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.task.StepLog;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.store.Database;
import io.maestro.store.StoreException;
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
   * described as {@code crashed} followed by the exception — except a database failure, which
   * leaves the attempt without a result to be delivered again.
   */
  static void run(
      Database db,
      ReceiptWriter receipts,
      WorkItem item,
      Lease lease,
      Prepare prepare,
      Call call,
      String crashed,
      Finish finish)
      throws InterruptedException {
    TenantScope scope = TenantScope.of(item.tenant());
    Optional<Prepared> p =
        lease.database(() -> receipts.inTransaction(db, scope, prepare::prepare));
    if (p.isEmpty()) {
      return;
    }
    if (lease.lost() || Thread.interrupted()) {
      throw new InterruptedException("the lease was lost before the attempt ran");
    }
    TaskContext context = p.get().context();
    // The executor's log lines are database writes on this thread, too.
    TaskContext guarded = context.withLog(new LeaseGuardedLog(context.log(), lease));
    TaskOutcome outcome;
    try {
      outcome = call.call(p.get().executor(), guarded);
    } catch (StoreException e) {
      // The database failed under the executor (its log lines are writes), not the task: no
      // result, so the lease runs out and the attempt is delivered again — counted and receipted
      // as a duplicate delivery — instead of failing the step for a fault that was not its own
      // (a database restart failed runs this way; ADR 0044).
      throw e;
    } catch (RuntimeException e) {
      outcome = new TaskOutcome.Failed(ErrorKind.PLATFORM, crashed + e);
    }
    TaskOutcome result = outcome;
    // Out of the heartbeat set first: the finish deletes the row, which the heartbeat would
    // otherwise take for a lost lease and interrupt this thread inside its COMMIT.
    lease.finishing();
    lease.database(
        () ->
            receipts.inTransaction(
                db,
                scope,
                tx -> {
                  finish.finish(tx, result);
                  return null;
                }));
  }

  /** A step log whose writes run with interrupts held back ({@link Lease#database}). */
  private record LeaseGuardedLog(StepLog log, Lease lease) implements StepLog {
    @Override
    public void info(String line) {
      lease.databaseRun(() -> log.info(line));
    }

    @Override
    public void output(String stream, String line) {
      lease.databaseRun(() -> log.output(stream, line));
    }
  }
}
