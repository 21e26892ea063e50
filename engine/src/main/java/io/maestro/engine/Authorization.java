package io.maestro.engine;

import io.maestro.core.Actor;
import io.maestro.core.Decision;
import java.util.Objects;
import java.util.Optional;

/**
 * Who acts and the policy decision that let it, as the gate handed them over. The engine never
 * looks a decision up and never reshapes it: it stores it with the run it admitted and records it,
 * as it is, in the receipts of the change, so every run start and every approval names the decision
 * behind it with its reasons, obligations and the bundle revision that made it.
 *
 * @param decision empty for work the platform does on its own (timers, recovery)
 */
public record Authorization(Actor actor, Optional<Decision> decision) {
  /** The decision id stored for work no policy decided. */
  public static final String SYSTEM = "system";

  public Authorization {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(decision, "decision");
  }

  public Authorization(Actor actor, Decision decision) {
    this(actor, Optional.of(decision));
  }

  /** For actions the platform takes on its own (timers, recovery). */
  public static Authorization system(String component) {
    return new Authorization(Actor.system(component), Optional.empty());
  }

  /** The decision's id, or {@link #SYSTEM} for platform work. */
  public String decisionId() {
    return decision.map(Decision::id).orElse(SYSTEM);
  }
}
