package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.run.StepView;
import java.time.Instant;
import java.util.Optional;

/** Copy-with helpers for {@link StepView}, named for the change they make. */
public final class Steps {
  private Steps() {}

  public static StepView queued(StepView s, int attempt, Instant readyAt) {
    return new StepView(
        s.stepId(),
        s.position(),
        s.uses(),
        s.status(),
        attempt,
        s.deliveries(),
        s.duplicates(),
        s.outputs(),
        s.waitState(),
        s.error(),
        s.errorKind(),
        Optional.of(readyAt),
        Optional.empty(),
        Optional.empty());
  }

  public static StepView delivered(StepView s, boolean duplicate, Instant at) {
    return new StepView(
        s.stepId(),
        s.position(),
        s.uses(),
        s.status(),
        s.attempt(),
        s.deliveries() + 1,
        s.duplicates() + (duplicate ? 1 : 0),
        s.outputs(),
        s.waitState(),
        s.error(),
        s.errorKind(),
        s.readyAt(),
        s.startedAt().or(() -> Optional.of(at)),
        s.finishedAt());
  }

  public static StepView succeeded(StepView s, JsonNode outputs) {
    return new StepView(
        s.stepId(),
        s.position(),
        s.uses(),
        s.status(),
        s.attempt(),
        s.deliveries(),
        s.duplicates(),
        outputs,
        s.waitState(),
        Optional.empty(),
        Optional.empty(),
        s.readyAt(),
        s.startedAt(),
        s.finishedAt());
  }

  public static StepView failed(StepView s, ErrorKind kind, String error) {
    return new StepView(
        s.stepId(),
        s.position(),
        s.uses(),
        s.status(),
        s.attempt(),
        s.deliveries(),
        s.duplicates(),
        s.outputs(),
        s.waitState(),
        Optional.of(error),
        Optional.of(kind),
        s.readyAt(),
        s.startedAt(),
        s.finishedAt());
  }

  public static StepView waiting(StepView s, JsonNode state) {
    return new StepView(
        s.stepId(),
        s.position(),
        s.uses(),
        s.status(),
        s.attempt(),
        s.deliveries(),
        s.duplicates(),
        s.outputs(),
        state,
        s.error(),
        s.errorKind(),
        s.readyAt(),
        s.startedAt(),
        s.finishedAt());
  }

  public static StepView note(StepView s, String error) {
    return new StepView(
        s.stepId(),
        s.position(),
        s.uses(),
        s.status(),
        s.attempt(),
        s.deliveries(),
        s.duplicates(),
        s.outputs(),
        s.waitState(),
        Optional.of(error),
        s.errorKind(),
        s.readyAt(),
        s.startedAt(),
        s.finishedAt());
  }
}
