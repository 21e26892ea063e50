package io.maestro.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.manifest.Durations;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.manifest.TaskSpec;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.PlannedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Describes a manifest's run to the estimator: its version, tasks and their stated durations. */
final class Planner {
  private Planner() {}

  /**
   * The run of {@code m}. Steps are priced under the resource class their events are metered with
   * ({@link MeteredEvent#DEFAULT_RESOURCE_CLASS}), so estimate and actual use the same weight.
   */
  static PlannedRun plan(Manifest m) {
    List<PlannedRun.PlannedStep> steps = new ArrayList<>();
    for (TaskSpec t : m.tasks()) {
      steps.add(new PlannedRun.PlannedStep(t.id(), t.uses(), statedDuration(t)));
    }
    return new PlannedRun(m.name(), m.version(), MeteredEvent.DEFAULT_RESOURCE_CLASS, steps);
  }

  /** A {@code core/wait}'s literal duration; empty for expressions and other tasks. */
  private static Optional<Long> statedDuration(TaskSpec t) {
    JsonNode d = t.with().path("duration");
    if (!"core/wait".equals(t.uses()) || !d.isTextual() || d.asText().contains("${{")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Durations.parse(d.asText()).toMillis());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
