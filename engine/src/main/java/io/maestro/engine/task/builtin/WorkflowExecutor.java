package io.maestro.engine.task.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.JsonText;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepView;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.TaskCatalog;
import io.maestro.engine.task.ChildRuns;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code core/workflow}: runs the published workflow {@code workflow} (at {@code version}, default
 * its active version) with {@code inputs} as a child run, and waits for it without holding a
 * worker. Idempotent: the child is keyed by the parent attempt's idempotency key, so a redelivered
 * attempt finds the same child. The step succeeds when the child succeeds (outputs {@code {runId,
 * status, tasks: {id: outputs}}}) and fails with a user error when the child fails, times out or is
 * cancelled.
 */
public final class WorkflowExecutor implements TaskExecutor {
  private final ChildRuns children;

  public WorkflowExecutor(ChildRuns children) {
    this.children = children;
  }

  @Override
  public String type() {
    return "core/workflow";
  }

  @Override
  public List<TaskCatalog.Problem> check(JsonNode with) {
    List<TaskCatalog.Problem> p =
        new ArrayList<>(TaskExecutor.unknownKeys(with, Set.of("workflow", "version", "inputs")));
    p.addAll(TaskExecutor.require(with, "workflow"));
    return p;
  }

  @Override
  @SuppressWarnings("unchecked")
  public TaskOutcome execute(TaskContext ctx) {
    Object inputs = ctx.with().getOrDefault("inputs", Map.of());
    if (!(inputs instanceof Map)) {
      return new TaskOutcome.Failed(ErrorKind.USER, "inputs must be an object");
    }
    Optional<String> version = Optional.ofNullable(ctx.with().get("version")).map(String::valueOf);
    String child =
        children.start(ctx, ctx.string("workflow", ""), version, (Map<String, Object>) inputs);
    ctx.log().info("started child run " + child);
    return new TaskOutcome.Waiting(Optional.empty(), JsonText.tree(Map.of("childRunId", child)));
  }

  @Override
  public TaskOutcome resume(TaskContext ctx) {
    String child = ctx.waitState() == null ? "" : ctx.waitState().path("childRunId").asText("");
    Optional<RunView> run = children.get(ctx, child);
    if (run.isEmpty()) {
      return new TaskOutcome.Failed(ErrorKind.PLATFORM, "child run " + child + " is missing");
    }
    RunView r = run.get();
    if (!r.status().terminal()) {
      return new TaskOutcome.Waiting(Optional.empty(), ctx.waitState());
    }
    if (r.status() != RunStatus.SUCCEEDED) {
      return new TaskOutcome.Failed(
          ErrorKind.USER,
          "child run " + child + " ended " + r.status() + r.error().map(e -> ": " + e).orElse(""));
    }
    Map<String, Object> tasks = new LinkedHashMap<>();
    for (StepView s : r.steps()) {
      tasks.put(s.stepId(), JsonText.MAPPER.convertValue(s.outputs(), Object.class));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("runId", child);
    out.put("status", r.status().name());
    out.put("tasks", tasks);
    return new TaskOutcome.Succeeded(out);
  }
}
