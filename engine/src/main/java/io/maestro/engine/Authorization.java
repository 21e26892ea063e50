package io.maestro.engine;

import io.maestro.core.Actor;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An admission decision made before the engine is called: who acts, the id of the policy decision
 * that allowed it and what that decision said. The engine never looks a decision up itself; it
 * records it in the state change and its receipt, so every run start and every approval names the
 * decision behind it, with its reasons and the bundle revision that made it.
 *
 * @param decisionId the policy decision id, or {@code "system"} for work the platform does itself
 * @param reasons the decision's reason codes (empty when it gave none)
 * @param bundleRevision the revision of the policy bundle that decided, when known
 */
public record Authorization(
    Actor actor, String decisionId, List<String> reasons, Optional<String> bundleRevision) {
  public Authorization {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(decisionId, "decisionId");
    if (decisionId.isBlank()) {
      throw new IllegalArgumentException("decisionId must not be blank");
    }
    reasons = List.copyOf(reasons);
    Objects.requireNonNull(bundleRevision, "bundleRevision");
  }

  /** A decision known only by its id (no reasons, no bundle revision). */
  public Authorization(Actor actor, String decisionId) {
    this(actor, decisionId, List.of(), Optional.empty());
  }

  /** For actions the platform takes on its own (timers, recovery, child runs). */
  public static Authorization system(String component) {
    return new Authorization(Actor.system(component), "system");
  }
}
