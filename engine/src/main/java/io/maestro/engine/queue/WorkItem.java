package io.maestro.engine.queue;

import io.maestro.core.TenantId;
import java.time.Instant;

/**
 * A claimed queue row.
 *
 * @param claims how many times the row has been claimed, this claim included; above 1 the previous
 *     holder's lease expired (it crashed or stalled) and the work is being redelivered
 */
public record WorkItem(
    TenantId tenant,
    String workId,
    String runId,
    String stepId,
    WorkKind kind,
    int attempt,
    Instant dueAt,
    int claims,
    String traceParent) {

  /** The key passed to tasks so they can recognise a redelivered attempt. */
  public String idempotencyKey() {
    return runId + "/" + stepId + "/" + attempt;
  }
}
