package io.maestro.metering;

import io.maestro.core.TenantId;
import java.time.Instant;

/** Test events: one of each kind, with every dimension filled. */
final class Events {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  private Events() {}

  static MeteredEvent of(EventType type, TenantId tenant, String key, Instant time, long quantity) {
    return MeteredEvent.of(
        type,
        key,
        time,
        tenant,
        "prod",
        ActorType.USER,
        WorkflowRef.run("hello", "1.0.0", "run-" + key),
        "run/run-" + key,
        quantity);
  }

  static MeteredEvent of(EventType type, String key, Instant time, long quantity) {
    return of(type, ACME, key, time, quantity);
  }

  /** One event of the type in a workflow run, or outside any workflow for exports. */
  static MeteredEvent sample(EventType type) {
    WorkflowRef wf =
        type == EventType.EVIDENCE_EXPORTED
            ? WorkflowRef.NONE
            : WorkflowRef.run("hello", "1.0.0", "run-1");
    return MeteredEvent.of(
        type, "rcp-" + type.wire(), T0, ACME, "prod", ActorType.SERVICE, wf, "run/run-1", 3);
  }
}
