package io.maestro.engine.task.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.TaskCatalog;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code core/fail}: fails on purpose, for tests and drills. {@code message} (default "failed on
 * purpose"), {@code kind}: {@code error} (default, a user error) or {@code platform}, and {@code
 * attempts}: fail only attempts 1..N and succeed afterwards (to drill retries; default: always
 * fail). Idempotent.
 */
public final class FailExecutor implements TaskExecutor {
  @Override
  public String type() {
    return "core/fail";
  }

  @Override
  public List<TaskCatalog.Problem> check(JsonNode with) {
    List<TaskCatalog.Problem> p =
        new ArrayList<>(TaskExecutor.unknownKeys(with, Set.of("message", "kind", "attempts")));
    JsonNode kind = with.path("kind");
    if (kind.isTextual()
        && !kind.textValue().contains("${{")
        && !Set.of("error", "platform").contains(kind.textValue())) {
      p.add(new TaskCatalog.Problem("kind", "kind must be error or platform"));
    }
    return p;
  }

  @Override
  public TaskOutcome execute(TaskContext ctx) {
    Object attempts = ctx.with().get("attempts");
    if (attempts instanceof Number n && ctx.attempt() > n.intValue()) {
      return new TaskOutcome.Succeeded(Map.of("attempt", ctx.attempt()));
    }
    ErrorKind kind =
        "platform".equals(ctx.string("kind", "error")) ? ErrorKind.PLATFORM : ErrorKind.USER;
    return new TaskOutcome.Failed(kind, ctx.string("message", "failed on purpose"));
  }
}
