package io.maestro.server.health;

import java.util.Optional;

/**
 * One condition the server needs before it can take traffic (database reachable, policy loaded,
 * signer ready). {@code /readyz} is 200 only when every check passes, and names each failure.
 */
public interface ReadinessCheck {
  String name();

  /** Empty when ready; otherwise why not, in one line safe to show publicly. */
  Optional<String> problem();
}
