package io.maestro.engine.worker;

import io.maestro.engine.RunLogs;
import io.maestro.engine.expr.Expressions;
import io.maestro.engine.internal.OutcomeApplier;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.internal.RunStore;
import io.maestro.engine.internal.Transitions;
import io.maestro.engine.queue.WorkKind;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.engine.task.TaskTypes;
import io.maestro.store.Database;
import java.time.Clock;
import java.util.Map;

/** Builds the work handler of each queue row kind, giving each only the collaborators it uses. */
public final class WorkHandlers {
  private WorkHandlers() {}

  /**
   * @param logCapBytes the most log output one attempt may write
   */
  public static Map<WorkKind, WorkHandler> create(
      Database db,
      ReceiptWriter receipts,
      RunStore runs,
      WorkQueue queue,
      WorkflowRegistry registry,
      Transitions transitions,
      OutcomeApplier applier,
      Expressions expressions,
      TaskTypes types,
      RunLogs logs,
      Clock clock,
      long logCapBytes) {
    Attempts attempts = new Attempts(runs, registry, applier, logs, clock, logCapBytes);
    return Map.of(
        WorkKind.EXECUTE,
        new ExecuteHandler(db, receipts, queue, attempts, transitions, expressions, types),
        WorkKind.RESUME,
        new ResumeHandler(db, receipts, queue, attempts, types),
        WorkKind.TIMEOUT,
        new TimeoutHandler(db, receipts, queue, attempts));
  }

  /**
   * The task-queue API of external workers over the same attempt machinery as {@code handlers}
   * (which {@link #create} built).
   *
   * @param lease how long a poll's lease lasts without a heartbeat
   */
  public static ExternalTasks external(
      Map<WorkKind, WorkHandler> handlers,
      Database db,
      ReceiptWriter receipts,
      WorkQueue queue,
      io.maestro.engine.OutputLimits limits,
      java.time.Duration lease) {
    ExecuteHandler execute = (ExecuteHandler) handlers.get(WorkKind.EXECUTE);
    return new ExternalTasks(db, receipts, queue, execute, execute.attempts(), limits, lease);
  }
}
