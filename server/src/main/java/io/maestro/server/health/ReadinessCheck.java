package io.maestro.server.health;

import java.util.Optional;

/**
 * One condition the server needs before it can take traffic (database reachable, policy loaded,
 * signer ready). {@code /readyz} names each failure; only a failing {@link #critical() critical}
 * check makes the server not ready.
 */
public interface ReadinessCheck {
  String name();

  /** Empty when ready; otherwise why not, in one line safe to show publicly. */
  Optional<String> problem();

  /**
   * Whether the server cannot serve without this condition. A failing critical check makes {@code
   * /readyz} answer 503 {@code not_ready}, so load balancers stop sending traffic; a failing
   * non-critical one (the signer: checkpoints pause while ordinary actions go on) answers 200
   * {@code degraded}, so an outage of a side function does not take the whole API down with it.
   */
  default boolean critical() {
    return true;
  }
}
