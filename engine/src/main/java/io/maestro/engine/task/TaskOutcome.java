package io.maestro.engine.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.manifest.ErrorKind;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What an attempt of a task came to. */
public sealed interface TaskOutcome {

  /**
   * The task did its job.
   *
   * @param output JSON-shaped Java value (Map, List, String, Long, Double, Boolean or null)
   */
  record Succeeded(Object output) implements TaskOutcome {}

  /**
   * The task failed; {@code kind} decides whether the retry policy applies, unless the failure is
   * {@code permanent} (a limit the same input will exceed again), which is never retried.
   */
  record Failed(ErrorKind kind, String message, boolean permanent) implements TaskOutcome {
    public Failed {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }

    public Failed(ErrorKind kind, String message) {
      this(kind, message, false);
    }

    /** A user error that no retry policy retries. */
    public static Failed permanent(String message) {
      return new Failed(ErrorKind.USER, message, true);
    }
  }

  /**
   * The task pauses without holding a worker: until {@code resumeAt} (a timer row is written), or
   * until something else resumes it (an approval decision, a child run finishing).
   *
   * @param state what it waits for; stored with the step and handed back on resume
   */
  record Waiting(Optional<Instant> resumeAt, JsonNode state) implements TaskOutcome {
    public Waiting {
      Objects.requireNonNull(resumeAt, "resumeAt");
      state = state.deepCopy();
    }

    @Override
    public JsonNode state() {
      return state.deepCopy();
    }
  }

  static TaskOutcome succeeded(Object output) {
    return new Succeeded(output);
  }

  static TaskOutcome failed(ErrorKind kind, String message) {
    return new Failed(kind, message);
  }
}
