package io.maestro.engine.sandbox;

import io.maestro.core.problem.MaestroException;

/**
 * Whether {@code core/exec} can run on this machine: a working sandbox, or why not and what to do.
 * The server uses it at start; {@code maestro doctor} can probe the same way (closing the sandbox).
 */
public sealed interface SandboxAvailability {

  /** A sandbox that passed its self-test; the caller owns (and closes) it. */
  record Available(Sandbox sandbox) implements SandboxAvailability {}

  /**
   * @param reason {@code "why — remedy"}, e.g. {@code bubblewrap not found — apt-get install
   *     bubblewrap}
   */
  record Unavailable(String reason) implements SandboxAvailability {}

  /** Builds and self-tests a sandbox; never throws for a machine that cannot sandbox. */
  static SandboxAvailability probe(SandboxConfig config) {
    try {
      return new Available(Sandbox.create(config));
    } catch (MaestroException e) {
      return new Unavailable(e.detail());
    }
  }
}
