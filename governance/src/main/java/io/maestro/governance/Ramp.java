package io.maestro.governance;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A ramp rule: the percentage of a tenant's {@code action} requests for {@code workflow} (at {@code
 * version}, or any version when empty) that are admitted. {@code step} counts the changes to the
 * rule; an admitted run records the step that admitted it.
 */
public record Ramp(
    String tenant,
    String workflow,
    String version,
    String action,
    BigDecimal percent,
    int step,
    String updatedBy,
    Instant updatedAt) {
  public static final String DEFAULT_ACTION = "workflow.run";
}
