package io.maestro.engine.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.manifest.Durations;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.TaskCatalog;
import java.util.List;

/**
 * A task type ({@code uses}). The contract every executor keeps:
 *
 * <ul>
 *   <li><b>Delivery is at-least-once.</b> When a worker dies holding an attempt, the attempt runs
 *       again with the same {@link TaskContext#idempotencyKey()} and a higher {@link
 *       TaskContext#delivery()}. Executors with side effects must make a repeat harmless or say in
 *       their documentation that it is not.
 *   <li><b>Errors are values.</b> Return {@link TaskOutcome.Failed} with {@link ErrorKind#USER} for
 *       "the task ran and said no" and {@link ErrorKind#PLATFORM} for "could not do the job"; an
 *       exception thrown from {@link #execute} counts as a platform error.
 *   <li><b>Interruption means stop.</b> The thread is interrupted when the attempt is cancelled,
 *       timed out or its lease lost; the result of an interrupted attempt is discarded.
 *   <li><b>Thread safety.</b> One instance serves all attempts concurrently, each on its own
 *       virtual thread.
 * </ul>
 */
public interface TaskExecutor {
  /** The {@code uses} name, e.g. {@code core/log}. */
  String type();

  /** Static checks of {@code with} at publish time (values holding expressions are not known). */
  default List<TaskCatalog.Problem> check(JsonNode with) {
    return List.of();
  }

  TaskOutcome execute(TaskContext ctx) throws InterruptedException;

  /**
   * Continues a WAITING attempt when its timer fires or what it waits for finished. Runs without a
   * lease-holding heartbeat, so it must be quick.
   */
  default TaskOutcome resume(TaskContext ctx) throws InterruptedException {
    return new TaskOutcome.Failed(ErrorKind.PLATFORM, type() + " cannot be resumed");
  }

  /**
   * Helper for {@link #check}: the keys present in {@code with} that are not in {@code allowed}.
   */
  static List<TaskCatalog.Problem> unknownKeys(JsonNode with, java.util.Set<String> allowed) {
    List<TaskCatalog.Problem> out = new java.util.ArrayList<>();
    with.fieldNames()
        .forEachRemaining(
            k -> {
              if (!allowed.contains(k)) {
                out.add(new TaskCatalog.Problem(k, "unknown parameter '" + k + "'"));
              }
            });
    return out;
  }

  /** Helper for {@link #check}: a required key. */
  static List<TaskCatalog.Problem> require(JsonNode with, String key) {
    return with.hasNonNull(key)
        ? List.of()
        : List.of(new TaskCatalog.Problem("", "'" + key + "' is required"));
  }

  /**
   * Helper for {@link #check}: {@code key}, when it is a literal string, must be a duration. A
   * value that contains an expression is known only at run time, so it is checked then.
   */
  static List<TaskCatalog.Problem> duration(JsonNode with, String key) {
    JsonNode v = with.path(key);
    if (!v.isTextual() || v.textValue().contains("${{")) {
      return List.of();
    }
    try {
      Durations.parse(v.textValue());
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(new TaskCatalog.Problem(key, e.getMessage()));
    }
  }
}
