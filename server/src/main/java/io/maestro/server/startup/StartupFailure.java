package io.maestro.server.startup;

/**
 * The server cannot start for a reason the operator can fix (a busy port, an unusable data
 * directory, an unreachable database, a schema written by a newer release). The message is one line
 * meant for people, naming the problem and what to do; {@code maestro server} prints it as it is
 * and exits non-zero.
 */
public final class StartupFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StartupFailure(String message) {
    super(message);
  }

  public StartupFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
