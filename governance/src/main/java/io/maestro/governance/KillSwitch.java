package io.maestro.governance;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A pulled kill switch: while active, new starts it matches are refused by the policy with {@code
 * kill_switch_active}. {@code tenant} is {@link #GLOBAL} for a platform-wide switch.
 *
 * @param target the workflow (scopes {@code workflow}, {@code version}) or task type ({@code
 *     task_type}); empty for {@code tenant} and {@code global}
 * @param mode what happens to runs already running: drain (let them finish), cancel, or pause (they
 *     are paused until the switch is released; new starts are refused with {@code workflow_paused}
 *     rather than {@code kill_switch_active})
 */
public record KillSwitch(
    String id,
    String tenant,
    Scope scope,
    String target,
    String version,
    Mode mode,
    String reason,
    String pulledBy,
    Instant pulledAt,
    Optional<Instant> releasedAt) {
  public static final String GLOBAL = "*";

  public enum Scope {
    GLOBAL,
    TENANT,
    WORKFLOW,
    VERSION,
    TASK_TYPE;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String s) {
      for (Scope v : values()) {
        if (v.wire().equals(s)) {
          return Optional.of(v);
        }
      }
      return Optional.empty();
    }
  }

  /** What a pulled switch does to runs already running. */
  public enum Mode {
    /** Let running runs finish; only new starts are refused. */
    DRAIN,
    /** Cancel the matching running runs, each with its receipt. */
    CANCEL,
    /**
     * Hold the workflow: new starts are refused with {@code workflow_paused} (a start that did not
     * pin its version is routed to the stable version when only the version is paused) and the
     * running runs it matches are paused (no step dispatched; attempts already running finish);
     * releasing the switch resumes both. What the rollback controller applies when the policy
     * chooses it.
     */
    PAUSE;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Mode> parse(String s) {
      for (Mode v : values()) {
        if (v.wire().equals(s)) {
          return Optional.of(v);
        }
      }
      return Optional.empty();
    }
  }

  public boolean active() {
    return releasedAt.isEmpty();
  }
}
