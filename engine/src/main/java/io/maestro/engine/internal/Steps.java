package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.manifest.ErrorKind;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Copy-with helpers for {@link StepView}, named for the change they make. They all go through one
 * {@link Copy}, so a new component of the record is added in one place, not in every helper.
 */
public final class Steps {
  private Steps() {}

  /** The step with a new status (a transition); everything else is kept. */
  public static StepView moved(StepView s, StepStatus status) {
    return copy(s, c -> c.status = status);
  }

  public static StepView queued(StepView s, int attempt, Instant readyAt) {
    return copy(
        s,
        c -> {
          c.attempt = attempt;
          c.readyAt = Optional.of(readyAt);
          c.startedAt = Optional.empty();
          c.finishedAt = Optional.empty();
        });
  }

  public static StepView delivered(StepView s, boolean duplicate, Instant at) {
    return copy(
        s,
        c -> {
          c.deliveries++;
          c.duplicates += duplicate ? 1 : 0;
          c.startedAt = s.startedAt().or(() -> Optional.of(at));
        });
  }

  public static StepView succeeded(StepView s, JsonNode outputs) {
    return copy(
        s,
        c -> {
          c.outputs = outputs;
          c.error = Optional.empty();
          c.errorKind = Optional.empty();
        });
  }

  public static StepView failed(StepView s, ErrorKind kind, String error) {
    return copy(
        s,
        c -> {
          c.error = Optional.of(error);
          c.errorKind = Optional.of(kind);
        });
  }

  public static StepView waiting(StepView s, JsonNode state) {
    return copy(s, c -> c.waitState = state);
  }

  /** Records why without classifying it (a skip or a cancel, not a failed attempt). */
  public static StepView note(StepView s, String error) {
    return copy(s, c -> c.error = Optional.of(error));
  }

  public static StepView finished(StepView s, Instant at) {
    return copy(s, c -> c.finishedAt = Optional.of(at));
  }

  private static StepView copy(StepView s, Consumer<Copy> change) {
    Copy c = new Copy(s);
    change.accept(c);
    return c.build();
  }

  /**
   * The changeable components of a step, mutable only inside one helper call. The identity (id,
   * position, uses) is never changed by a copy, so it is taken from the original.
   */
  private static final class Copy {
    private final StepView original;
    StepStatus status;
    int attempt;
    int deliveries;
    int duplicates;
    JsonNode outputs;
    JsonNode waitState;
    Optional<String> error;
    Optional<ErrorKind> errorKind;
    Optional<Instant> readyAt;
    Optional<Instant> startedAt;
    Optional<Instant> finishedAt;

    Copy(StepView s) {
      original = s;
      status = s.status();
      attempt = s.attempt();
      deliveries = s.deliveries();
      duplicates = s.duplicates();
      outputs = s.outputs();
      waitState = s.waitState();
      error = s.error();
      errorKind = s.errorKind();
      readyAt = s.readyAt();
      startedAt = s.startedAt();
      finishedAt = s.finishedAt();
    }

    StepView build() {
      return new StepView(
          original.stepId(),
          original.position(),
          original.uses(),
          status,
          attempt,
          deliveries,
          duplicates,
          outputs,
          waitState,
          error,
          errorKind,
          readyAt,
          startedAt,
          finishedAt);
    }
  }
}
