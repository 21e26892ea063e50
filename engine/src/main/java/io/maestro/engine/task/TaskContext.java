package io.maestro.engine.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.TenantId;
import java.time.Clock;
import java.util.Map;

/**
 * What an executor gets for one attempt.
 *
 * @param idempotencyKey {@code runId/stepId/attempt}: the same for every delivery of an attempt, so
 *     a task can make a redelivered attempt harmless (e.g. send it as an {@code Idempotency-Key})
 * @param delivery 1 for the first delivery of this attempt; more when a worker died holding it
 * @param with the task's parameters with every expression evaluated
 * @param runInputs the run's inputs (after defaults)
 * @param waitState on resume, the state the attempt stored when it started waiting (else null)
 * @param startedBy the subject that started the run
 */
public record TaskContext(
    TenantId tenant,
    String runId,
    String stepId,
    int attempt,
    String idempotencyKey,
    int delivery,
    String workflow,
    Map<String, Object> with,
    Map<String, Object> runInputs,
    JsonNode waitState,
    String startedBy,
    StepLog log,
    Clock clock) {

  public TaskContext {
    with = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(with));
    runInputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(runInputs));
  }

  /** The same context with its step log replaced. */
  public TaskContext withLog(StepLog value) {
    return new TaskContext(
        tenant,
        runId,
        stepId,
        attempt,
        idempotencyKey,
        delivery,
        workflow,
        with,
        runInputs,
        waitState,
        startedBy,
        value,
        clock);
  }

  /** A string parameter, or {@code def} when absent. */
  public String string(String key, String def) {
    Object v = with.get(key);
    return v == null ? def : String.valueOf(v);
  }
}
