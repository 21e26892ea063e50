package io.maestro.metering;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the estimator prices: a workflow version and its tasks, as the caller (the server, from a
 * manifest) describes them. The estimator knows nothing of manifests.
 *
 * @param resourceClass the compute class the run's steps are priced under
 */
public record PlannedRun(
    String workflow, String version, String resourceClass, List<PlannedStep> steps) {
  public PlannedRun {
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(resourceClass, "resourceClass");
    steps = List.copyOf(steps);
  }

  /**
   * One task of the run.
   *
   * @param task the task type ({@code uses}, e.g. {@code core/exec})
   * @param hintMs a duration the manifest states (e.g. a {@code core/wait}'s), used when there is
   *     no history
   */
  public record PlannedStep(String id, String task, Optional<Long> hintMs) {
    public PlannedStep {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(hintMs, "hintMs");
    }
  }
}
