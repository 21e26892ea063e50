package io.maestro.engine.task.builtin;

import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;

/**
 * {@code core/noop}: does nothing and succeeds; its output is its {@code with}. Idempotent. Useful
 * to join branches and to shape outputs.
 */
public final class NoopExecutor implements TaskExecutor {
  @Override
  public String type() {
    return "core/noop";
  }

  @Override
  public TaskOutcome execute(TaskContext ctx) {
    return new TaskOutcome.Succeeded(ctx.with());
  }
}
