package io.maestro.engine.sandbox;

/**
 * The most a manifest may ask of the sandbox for one {@code core/exec} step ({@code
 * engine.sandbox.max*}). A manifest asking more is refused at validation (422); a limit that is
 * only known when the step runs (an expression) is checked then and fails the step.
 *
 * @param memoryBytes the largest {@code memory}
 * @param cpuSeconds the largest {@code cpuSeconds}
 * @param processes the largest {@code processes}
 */
public record SandboxCeilings(long memoryBytes, long cpuSeconds, long processes) {
  /** 2 GiB, 600 CPU seconds, 256 processes. */
  public static final SandboxCeilings DEFAULTS = new SandboxCeilings(2L << 30, 600, 256);
}
