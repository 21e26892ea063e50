package io.maestro.engine.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored schedule of a workflow.
 *
 * @param version empty: each tick runs the workflow's active version
 * @param catchUp how late a tick may still fire (after downtime); older ticks are recorded as
 *     missed
 * @param jitter each tick fires up to this much after its time, by a delay fixed per tick
 * @param source {@code manifest} (declared in the published manifest) or {@code api}
 * @param nextTick the next tick not yet handled; empty when the expression fires no more
 */
public record Schedule(
    TenantId tenant,
    String id,
    String workflow,
    Optional<String> version,
    String cron,
    ZoneId zone,
    Overlap overlap,
    Duration catchUp,
    Duration jitter,
    JsonNode inputs,
    String source,
    boolean paused,
    Optional<Instant> nextTick,
    String createdBy,
    Instant createdAt) {

  public Schedule {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(nextTick, "nextTick");
    inputs = inputs.deepCopy();
  }

  @Override
  public JsonNode inputs() {
    return inputs.deepCopy();
  }
}
