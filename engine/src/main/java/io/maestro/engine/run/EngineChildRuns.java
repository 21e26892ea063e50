package io.maestro.engine.run;

import io.maestro.core.Actor;
import io.maestro.engine.Authorization;
import io.maestro.engine.RunView;
import io.maestro.engine.task.ChildRuns;
import io.maestro.engine.task.TaskContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Child runs for {@code core/workflow}: started as the parent's starter (so separation of duties
 * carries over to approvals in the child), under the decision that admitted the parent (recorded
 * unchanged in the child's receipts), keyed by the parent attempt's idempotency key, and linked to
 * the parent step so its completion wakes the parent.
 */
public final class EngineChildRuns implements ChildRuns {
  private final StartRunHandler starter;
  private final RunQueries queries;

  public EngineChildRuns(StartRunHandler starter, RunQueries queries) {
    this.starter = starter;
    this.queries = queries;
  }

  @Override
  public String start(
      TaskContext parent, String workflow, Optional<String> version, Map<String, Object> inputs) {
    RunView p = queries.get(parent.tenant(), parent.runId()).orElseThrow();
    Authorization auth =
        new Authorization(
            new Actor(
                parent.startedBy(), Optional.of(parent.tenant()), List.of(), Map.of(), "engine"),
            p.admission());
    StartRun cmd =
        new StartRun(
            parent.tenant(),
            workflow,
            version,
            inputs,
            Optional.of("child:" + parent.idempotencyKey()),
            auth,
            Optional.of(new RunView.StepRef(parent.runId(), parent.stepId())));
    return starter.handle(cmd).runId();
  }

  @Override
  public Optional<RunView> get(TaskContext parent, String runId) {
    return queries.get(parent.tenant(), runId);
  }
}
