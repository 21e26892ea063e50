package io.maestro.engine.worker;

import io.maestro.engine.internal.CappedStepLog;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.queue.WorkKind;
import io.maestro.engine.run.RunView;
import io.maestro.engine.run.StepStatus;
import io.maestro.engine.run.StepView;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.store.TenantScope;
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

  private final StepRuntime rt;

  public ResumeHandler(StepRuntime rt) {
    this.rt = rt;
  }

  private record Prepared(TaskExecutor executor, TaskContext context) {}

  @Override
  public void handle(WorkItem item, String owner) throws InterruptedException {
    Optional<Prepared> p =
        rt.receipts()
            .inTransaction(rt.db(), TenantScope.of(item.tenant()), tx -> prepare(tx, item, owner));
    if (p.isEmpty()) {
      return;
    }
    TaskOutcome outcome;
    try {
      outcome = p.get().executor().resume(p.get().context());
    } catch (RuntimeException e) {
      outcome = new TaskOutcome.Failed(ErrorKind.PLATFORM, "resume failed: " + e);
    }
    TaskOutcome result = outcome;
    rt.receipts()
        .inTransaction(
            rt.db(), TenantScope.of(item.tenant()), tx -> finish(tx, item, owner, result));
  }

  private Optional<Prepared> prepare(Tx tx, WorkItem item, String owner) {
    RunView run = rt.runs().run(tx, item.tenant(), item.runId(), true).orElse(null);
    StepView step = rt.runs().step(tx, item.tenant(), item.runId(), item.stepId()).orElse(null);
    if (run == null
        || step == null
        || run.status().terminal()
        || step.attempt() != item.attempt()) {
      rt.queue().complete(tx, item, owner);
      return Optional.empty();
    }
    if (step.status() == StepStatus.RUNNING) {
      // What the step waits for finished before the attempt recorded that it waits (a child run
      // that completed at once): try again shortly, once the WAITING state is committed.
      rt.queue().complete(tx, item, owner);
      var now = rt.clock().instant();
      rt.queue()
          .enqueue(
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
      rt.queue().complete(tx, item, owner);
      return Optional.empty();
    }
    TaskExecutor executor =
        rt.types()
            .get(step.uses())
            .orElseThrow(() -> new IllegalStateException("no executor for " + step.uses()));
    TaskContext ctx =
        new TaskContext(
            run.tenant(),
            run.runId(),
            step.stepId(),
            step.attempt(),
            item.idempotencyKey(),
            step.duplicates() + 1,
            run.workflow(),
            Map.of(),
            io.maestro.engine.internal.JsonText.map(run.inputs()),
            step.waitState(),
            run.startedBy(),
            new CappedStepLog(
                rt.logs(), run.tenant(), run.runId(), step.stepId(), rt.logCapBytes()),
            rt.clock());
    return Optional.of(new Prepared(executor, ctx));
  }

  private Void finish(Tx tx, WorkItem item, String owner, TaskOutcome outcome) {
    if (!rt.queue().complete(tx, item, owner)) {
      return null;
    }
    RunView run = rt.runs().run(tx, item.tenant(), item.runId(), true).orElse(null);
    StepView step = rt.runs().step(tx, item.tenant(), item.runId(), item.stepId()).orElse(null);
    if (run == null
        || step == null
        || run.status().terminal()
        || step.status() != StepStatus.WAITING
        || step.attempt() != item.attempt()) {
      return null;
    }
    Manifest manifest =
        rt.registry().manifest(tx, run.tenant(), run.workflow(), run.version(), run.digest());
    rt.applier().apply(tx, run, manifest, step, outcome);
    return null;
  }
}
