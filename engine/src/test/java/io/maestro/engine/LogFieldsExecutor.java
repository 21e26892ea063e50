package io.maestro.engine;

import io.maestro.core.logging.LogFields;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;

/** {@code test/log-fields}: returns the log fields its worker thread stamps on every line. */
public final class LogFieldsExecutor implements TaskExecutor {
  @Override
  public String type() {
    return "test/log-fields";
  }

  @Override
  public TaskOutcome execute(TaskContext ctx) {
    return new TaskOutcome.Succeeded(java.util.Map.copyOf(LogFields.current()));
  }
}
