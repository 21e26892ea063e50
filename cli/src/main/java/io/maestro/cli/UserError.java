package io.maestro.cli;

/**
 * A failure the user can fix (bad input, a server that is not running, a failed verification).
 * Printed as one line, {@code maestro: <message>}, with its exit code; never with a stack trace.
 */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public UserError(String message) {
    this(message, 1);
  }

  public UserError(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
