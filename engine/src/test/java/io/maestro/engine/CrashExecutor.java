package io.maestro.engine;

import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;

/**
 * {@code test/crash}: kills the attempt's worker thread every time (an {@link Error} escapes the
 * handler, as when a worker dies), so its row is only ever freed by lease expiry — a poison step.
 */
public final class CrashExecutor implements TaskExecutor {
  @Override
  public String type() {
    return "test/crash";
  }

  @Override
  public TaskOutcome execute(TaskContext ctx) {
    throw new AssertionError("simulated worker death on delivery " + ctx.delivery());
  }
}
