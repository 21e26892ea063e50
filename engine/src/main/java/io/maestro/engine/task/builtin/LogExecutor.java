package io.maestro.engine.task.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.manifest.TaskCatalog;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code core/log}: writes {@code with.message} to the run log and outputs {@code {message}}. A
 * redelivered attempt writes the line again (the log shows both, each tagged with its delivery).
 */
public final class LogExecutor implements TaskExecutor {
  @Override
  public String type() {
    return "core/log";
  }

  @Override
  public List<TaskCatalog.Problem> check(JsonNode with) {
    List<TaskCatalog.Problem> p =
        new ArrayList<>(TaskExecutor.unknownKeys(with, Set.of("message")));
    p.addAll(TaskExecutor.require(with, "message"));
    return p;
  }

  @Override
  public TaskOutcome execute(TaskContext ctx) {
    String message = ctx.string("message", "");
    ctx.log().info(message);
    return new TaskOutcome.Succeeded(Map.of("message", message));
  }
}
