package io.maestro.engine.task.builtin;

import io.maestro.engine.Engine;
import io.maestro.engine.task.Secrets;

/** Registers the built-in task types on an engine builder. */
public final class CoreExecutors {
  private CoreExecutors() {}

  /**
   * Adds {@code core/noop}, {@code core/log}, {@code core/fail}, {@code core/wait}, {@code
   * core/approval}, {@code core/workflow}, {@code core/http} and {@code worker/<queue>} (run by
   * external workers). {@code core/exec} is added by the caller together with its sandbox.
   */
  public static Engine.Builder register(Engine.Builder b, HttpSettings http, Secrets secrets) {
    return b.executor(new NoopExecutor())
        .executor(new LogExecutor())
        .executor(new FailExecutor())
        .executor(new WaitExecutor())
        .executor(new ApprovalExecutor())
        .executor(WorkflowExecutor::new)
        .executor(new HttpExecutor(http, secrets))
        .executor(new WorkerTaskExecutor());
  }
}
