package io.maestro.engine.sandbox;

/**
 * Receives a sandboxed command's output line by line, as it is produced (for the run log).
 *
 * <p>Contract: calls are serialized by the sandbox (never two at once, even though stdout and
 * stderr are read by two threads), in the order each stream produced its lines; the relative order
 * of stdout and stderr lines is only approximately preserved. Lines carry no trailing newline;
 * lines longer than {@link Sandbox#MAX_LINE_BYTES} arrive in pieces. Bytes that are not valid UTF-8
 * are replaced with U+FFFD. Implementations should be quick (the command blocks when its pipe is
 * full) and must not throw: the first exception stops delivery and is rethrown by {@link
 * Sandbox#run} once the command has been torn down.
 */
public interface SandboxOutput {
  /** Which stream a line came from. */
  enum Channel {
    STDOUT,
    STDERR
  }

  /** One line of output. */
  void line(Channel channel, String line);

  /**
   * Called once when the output cap is reached; everything after it is dropped. The default does
   * nothing: the result carries the same information.
   */
  default void truncated(long capBytes) {}

  /** A consumer that drops everything. */
  static SandboxOutput discard() {
    return (channel, line) -> {};
  }
}
