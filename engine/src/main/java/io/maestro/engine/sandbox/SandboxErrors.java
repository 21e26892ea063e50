package io.maestro.engine.sandbox;

import io.maestro.core.problem.ErrorCode;

/**
 * Error codes of the sandbox. They are API: the engine records them on failed steps and operators
 * match on them, so renaming or removing one is a breaking change.
 */
public final class SandboxErrors {
  /**
   * The sandbox cannot run on this machine: {@code bwrap}, {@code prlimit}, {@code setpriv} or
   * {@code bash} is missing, or the kernel refuses the namespaces bubblewrap needs. Raised at
   * startup by {@link Sandbox#create}; the engine must then refuse {@code core/exec} steps rather
   * than run them unsandboxed.
   */
  public static final ErrorCode UNAVAILABLE =
      new ErrorCode("sandbox_unavailable", 503, "The command sandbox is not available");

  /**
   * Bubblewrap started but could not build the sandbox for this request (for example the workspace
   * directory cannot be reached by the sandbox user). The command never ran. A platform error, not
   * the workflow author's.
   */
  public static final ErrorCode SETUP_FAILED =
      new ErrorCode("sandbox_setup_failed", 500, "The command sandbox could not be set up");

  /** The request itself is invalid (empty command, non-positive limit, bad environment name). */
  public static final ErrorCode INVALID_REQUEST =
      new ErrorCode("sandbox_invalid_request", 422, "The sandbox request is not valid");

  private SandboxErrors() {}
}
