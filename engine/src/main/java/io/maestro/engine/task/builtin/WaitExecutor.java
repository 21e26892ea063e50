package io.maestro.engine.task.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.JsonText;
import io.maestro.engine.manifest.Durations;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.TaskCatalog;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code core/wait}: pauses the step for {@code duration} (e.g. {@code 30s}) or until {@code until}
 * (an ISO-8601 instant). It holds no worker while waiting: the wait is a timer row in the queue, so
 * it survives restarts. Idempotent: a redelivered attempt recomputes the same deadline from its
 * stored state. Outputs {@code {until}}.
 */
public final class WaitExecutor implements TaskExecutor {
  @Override
  public String type() {
    return "core/wait";
  }

  @Override
  public List<TaskCatalog.Problem> check(JsonNode with) {
    List<TaskCatalog.Problem> p =
        new ArrayList<>(TaskExecutor.unknownKeys(with, Set.of("duration", "until")));
    boolean d = with.hasNonNull("duration");
    boolean u = with.hasNonNull("until");
    if (d == u) {
      p.add(new TaskCatalog.Problem("", "give exactly one of 'duration' or 'until'"));
    }
    p.addAll(TaskExecutor.duration(with, "duration"));
    return p;
  }

  @Override
  public TaskOutcome execute(TaskContext ctx) {
    Instant now = ctx.clock().instant();
    Instant until;
    try {
      until =
          ctx.with().get("until") != null
              ? Instant.parse(ctx.string("until", ""))
              : now.plus(Durations.parse(ctx.string("duration", "0s")));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return new TaskOutcome.Failed(ErrorKind.USER, "bad wait: " + e.getMessage());
    }
    if (!until.isAfter(now)) {
      return new TaskOutcome.Succeeded(Map.of("until", until.toString()));
    }
    ctx.log().info("waiting until " + until);
    return new TaskOutcome.Waiting(
        Optional.of(until), JsonText.tree(Map.of("until", until.toString())));
  }

  @Override
  public TaskOutcome resume(TaskContext ctx) {
    String until = ctx.waitState() == null ? "" : ctx.waitState().path("until").asText("");
    return new TaskOutcome.Succeeded(Map.of("until", until));
  }
}
