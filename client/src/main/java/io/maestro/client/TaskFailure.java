package io.maestro.client;

/** Thrown by a {@link TaskHandler} to fail its task with a message, retryable or not. */
public final class TaskFailure extends Exception {
  private final boolean retryable;

  private TaskFailure(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  /** A failure the task's retry policy may retry (a gateway down, a timeout). */
  public static TaskFailure retryable(String message) {
    return new TaskFailure(message, true);
  }

  /** A failure no retry fixes (a card declined, bad input): the step fails for good. */
  public static TaskFailure permanent(String message) {
    return new TaskFailure(message, false);
  }

  public boolean retryable() {
    return retryable;
  }
}
