package io.maestro.engine.queue;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names of external task queues. A task {@code uses: worker/<queue>} is executed by an external
 * worker polling {@code <queue>}; its queue rows carry the name so that only such workers claim
 * them.
 */
public final class WorkerQueues {
  /** The {@code uses} prefix of external tasks. */
  public static final String PREFIX = "worker/";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

  private WorkerQueues() {}

  /** Whether {@code name} is a valid queue name: lower-case letters, digits, {@code _.-}. */
  public static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** The queue a task type names, when it is an external one ({@code worker/<queue>}). */
  public static Optional<String> of(String uses) {
    if (uses == null || !uses.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String name = uses.substring(PREFIX.length());
    return valid(name) ? Optional.of(name) : Optional.empty();
  }
}
