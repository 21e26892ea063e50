package io.maestro.engine.run;

import io.maestro.core.TenantId;
import io.maestro.engine.Authorization;
import io.maestro.engine.RunView;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The command to start a run of a published workflow.
 *
 * @param version empty: the workflow's active (latest published) version
 * @param idempotencyKey the same key always yields the same run; a different request under a used
 *     key is refused ({@code idempotency_conflict})
 * @param authorization the admission decision taken before calling the engine
 * @param parent set for child runs started by {@code core/workflow}
 * @param trigger what started the run: {@code api} (a request or a parent run), {@code schedule} or
 *     {@code webhook}
 */
public record StartRun(
    TenantId tenant,
    String workflow,
    Optional<String> version,
    Map<String, Object> inputs,
    Optional<String> idempotencyKey,
    Authorization authorization,
    Optional<RunView.StepRef> parent,
    String trigger) {
  public static final String API = "api";
  public static final String SCHEDULE = "schedule";
  public static final String WEBHOOK = "webhook";

  public StartRun {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(version, "version");
    inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(authorization, "authorization");
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(trigger, "trigger");
    idempotencyKey.ifPresent(
        k -> {
          if (k.isBlank() || k.length() > 200) {
            throw new IllegalArgumentException("an idempotency key has 1-200 characters");
          }
        });
  }

  /** A run started by a request or a parent run ({@code trigger: api}). */
  public StartRun(
      TenantId tenant,
      String workflow,
      Optional<String> version,
      Map<String, Object> inputs,
      Optional<String> idempotencyKey,
      Authorization authorization,
      Optional<RunView.StepRef> parent) {
    this(tenant, workflow, version, inputs, idempotencyKey, authorization, parent, API);
  }

  public static StartRun of(
      TenantId tenant, String workflow, Map<String, Object> inputs, Authorization auth) {
    return new StartRun(
        tenant, workflow, Optional.empty(), inputs, Optional.empty(), auth, Optional.empty());
  }

  public StartRun withIdempotencyKey(String key) {
    return new StartRun(
        tenant, workflow, version, inputs, Optional.of(key), authorization, parent, trigger);
  }

  public StartRun withVersion(String v) {
    return new StartRun(
        tenant, workflow, Optional.of(v), inputs, idempotencyKey, authorization, parent, trigger);
  }

  /**
   * @param created false when the idempotency key named an existing run, which is returned
   */
  public record Started(String runId, boolean created) {}
}
