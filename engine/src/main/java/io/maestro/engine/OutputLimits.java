package io.maestro.engine;

import io.maestro.core.TenantId;
import java.util.Objects;

/**
 * Caps on what runs may store, checked before anything is stored; a step over one fails once,
 * without retries, with {@code output_too_large}.
 *
 * @param maxStepBytes one step's output, as JSON
 * @param maxRunBytes all step outputs of one run, as JSON
 * @param maxExpressionBytes one expression's value, as JSON
 * @param tenantStorage each tenant's storage quota for step outputs
 */
public record OutputLimits(
    long maxStepBytes, long maxRunBytes, long maxExpressionBytes, StorageQuota tenantStorage) {
  public static final OutputLimits DEFAULTS =
      new OutputLimits(1 << 20, 16 << 20, 1 << 20, StorageQuota.UNLIMITED);

  public OutputLimits {
    Objects.requireNonNull(tenantStorage, "tenantStorage");
  }

  /**
   * A tenant's storage quota in bytes of step output. Called inside the engine's transactions:
   * implementations answer from memory or their own short reads, never from the caller's
   * transaction. Thread-safe.
   */
  @FunctionalInterface
  public interface StorageQuota {
    StorageQuota UNLIMITED = tenant -> Long.MAX_VALUE;

    long maxBytes(TenantId tenant);
  }
}
