package io.maestro.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A run as stored, with its steps in manifest order (empty when listing runs).
 *
 * @param decisionId the id of the decision that admitted the run, {@code system} when the platform
 *     started it on its own
 * @param admission that decision as the decision point returned it; empty for platform work and for
 *     runs created before admissions were stored with the run
 * @param parent the parent run and step when this run is a child ({@code core/workflow})
 * @param trigger what started the run: {@code api}, {@code schedule} or {@code webhook}
 */
public record RunView(
    TenantId tenant,
    String runId,
    String workflow,
    String version,
    String digest,
    RunStatus status,
    JsonNode inputs,
    Optional<String> error,
    String startedBy,
    String decisionId,
    Optional<Decision> admission,
    Optional<String> idempotencyKey,
    Optional<StepRef> parent,
    String trigger,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    List<StepView> steps) {

  public RunView {
    java.util.Objects.requireNonNull(admission, "admission");
    steps = List.copyOf(steps);
  }

  /** A step of a run, e.g. the parent step of a child run. */
  public record StepRef(String runId, String stepId) {}

  public Optional<StepView> step(String stepId) {
    return steps.stream().filter(s -> s.stepId().equals(stepId)).findFirst();
  }
}
