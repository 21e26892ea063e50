package io.maestro.engine;

import io.maestro.core.Actor;
import java.util.Objects;

/**
 * An admission decision made before the engine is called: who acts, and the id of the policy
 * decision that allowed it. The engine never looks a decision up itself; it records the id in the
 * state change and its receipt, so every run start and every approval names the decision behind it.
 *
 * @param decisionId the policy decision id, or {@code "system"} for work the platform does itself
 */
public record Authorization(Actor actor, String decisionId) {
  public Authorization {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(decisionId, "decisionId");
    if (decisionId.isBlank()) {
      throw new IllegalArgumentException("decisionId must not be blank");
    }
  }

  /** For actions the platform takes on its own (timers, recovery, child runs). */
  public static Authorization system(String component) {
    return new Authorization(Actor.system(component), "system");
  }
}
