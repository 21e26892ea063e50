package io.maestro.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A task leased to this worker by a poll.
 *
 * @param taskId names this lease in heartbeat, complete and fail
 * @param delivery 1 on first delivery; more when an earlier worker's lease ran out
 * @param idempotencyKey the same for every delivery of the attempt: use it to make a repeat
 *     harmless
 * @param input the task's {@code with.input}, expressions evaluated
 * @param traceParent the W3C trace context of the run's trace when the server traces (null
 *     otherwise): the worker continues it, and reports the outcome under it
 */
public record WorkerTask(
    String taskId,
    String queue,
    String runId,
    String stepId,
    String workflow,
    int attempt,
    int delivery,
    String idempotencyKey,
    JsonNode input,
    Instant leaseUntil,
    String traceParent) {
  public WorkerTask {
    Objects.requireNonNull(taskId, "taskId");
    input = input.deepCopy();
  }

  @Override
  public JsonNode input() {
    return input.deepCopy();
  }

  static WorkerTask of(JsonNode t) {
    return new WorkerTask(
        t.path("task_id").asText(),
        t.path("queue").asText(),
        t.path("run_id").asText(),
        t.path("step_id").asText(),
        t.path("workflow").asText(),
        t.path("attempt").asInt(),
        t.path("delivery").asInt(),
        t.path("idempotency_key").asText(),
        t.path("input"),
        Instant.parse(t.path("lease_until").asText()),
        t.hasNonNull("traceparent") ? t.path("traceparent").asText() : null);
  }
}
