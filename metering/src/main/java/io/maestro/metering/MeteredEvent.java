package io.maestro.metering;

import io.maestro.core.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One metered action, as the caller that performed it describes it. The {@code idempotencyKey} is
 * the id of the receipt or step attempt that records the action: recording the same (type, key)
 * twice for a tenant counts once, so a redelivered step or a retried request is never billed twice.
 *
 * @param type what was done
 * @param idempotencyKey the receipt id or step-attempt id of the action
 * @param time when it happened (the caller's injected clock)
 * @param tenant whose usage it is
 * @param env the environment it ran in (the actor's {@code environment} attribute, or the
 *     installation's default)
 * @param actorType who caused it
 * @param workflow the workflow run it belongs to, or {@link WorkflowRef#NONE}
 * @param subject what it is about, e.g. {@code run/<id>/step/<id>} (the CloudEvents subject)
 * @param quantity how much, in {@link EventType#unit()}; not negative
 * @param resourceClass the compute class whose weight prices step time ({@code standard} unless the
 *     step asked for another)
 */
public record MeteredEvent(
    EventType type,
    String idempotencyKey,
    Instant time,
    TenantId tenant,
    String env,
    ActorType actorType,
    WorkflowRef workflow,
    String subject,
    long quantity,
    String resourceClass) {

  public static final String DEFAULT_RESOURCE_CLASS = "standard";

  public MeteredEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(actorType, "actorType");
    Objects.requireNonNull(workflow, "workflow");
    requireText(idempotencyKey, "idempotencyKey", 200);
    requireText(env, "env", 63);
    requireText(subject, "subject", 200);
    requireText(resourceClass, "resourceClass", 32);
    if (quantity < 0) {
      throw new IllegalArgumentException("quantity must not be negative: " + quantity);
    }
  }

  /** An event of the default resource class. */
  public static MeteredEvent of(
      EventType type,
      String idempotencyKey,
      Instant time,
      TenantId tenant,
      String env,
      ActorType actorType,
      WorkflowRef workflow,
      String subject,
      long quantity) {
    return new MeteredEvent(
        type,
        idempotencyKey,
        time,
        tenant,
        env,
        actorType,
        workflow,
        subject,
        quantity,
        DEFAULT_RESOURCE_CLASS);
  }

  public MeteredEvent withResourceClass(String resourceClass) {
    return new MeteredEvent(
        type,
        idempotencyKey,
        time,
        tenant,
        env,
        actorType,
        workflow,
        subject,
        quantity,
        resourceClass);
  }

  private static void requireText(String value, String name, int max) {
    Objects.requireNonNull(value, name);
    if (value.isBlank() || value.length() > max) {
      throw new IllegalArgumentException(name + " must be 1.." + max + " characters");
    }
  }
}
