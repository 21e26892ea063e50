package io.maestro.engine.task;

import io.maestro.engine.RunView;
import java.util.Map;
import java.util.Optional;

/** Starts and inspects child runs for {@code core/workflow}. */
public interface ChildRuns {
  /**
   * Starts a child run of a published workflow, or returns the one already started for this step
   * attempt (the parent's idempotency key is the child's), so a redelivered attempt never starts a
   * second child.
   *
   * @return the child's run id
   */
  String start(
      TaskContext parent, String workflow, Optional<String> version, Map<String, Object> inputs);

  Optional<RunView> get(TaskContext parent, String runId);
}
