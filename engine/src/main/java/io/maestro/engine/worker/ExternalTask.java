package io.maestro.engine.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A task leased to an external worker by a poll.
 *
 * @param taskId what the worker names in heartbeat, complete and fail; it identifies this lease, so
 *     a report on an earlier lease of the same attempt is refused
 * @param delivery 1 for the first delivery of this attempt; more when a previous worker's lease ran
 *     out
 * @param idempotencyKey {@code runId/stepId/attempt}, the same for every delivery of the attempt
 * @param input the task's {@code with.input}, every expression evaluated
 * @param traceParent the W3C trace context the queue row keeps (the transaction that enqueued the
 *     step); null when tracing was off
 */
public record ExternalTask(
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
  public ExternalTask {
    Objects.requireNonNull(taskId, "taskId");
    input = input.deepCopy();
  }

  @Override
  public JsonNode input() {
    return input.deepCopy();
  }
}
