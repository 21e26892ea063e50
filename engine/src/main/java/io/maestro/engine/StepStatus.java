package io.maestro.engine;

import static io.maestro.engine.TransitionTable.edge;

import java.util.List;

/** The states of a step (one task of a run). */
public enum StepStatus {
  /** Waiting for the tasks it needs. */
  PENDING,
  /** Queued: a work row exists and a worker may claim it (possibly after a backoff delay). */
  READY,
  /** A worker holds the lease and runs the executor. */
  RUNNING,
  /** Paused without holding a worker: an approval, a timer or a child run. */
  WAITING,
  SUCCEEDED,
  FAILED,
  /** Its {@code if} was false, or a task it needs was skipped. */
  SKIPPED,
  CANCELLED,
  TIMED_OUT;

  /** What happens to a step. */
  public enum Event {
    /** Everything it needs succeeded and its condition holds: queue it. */
    ENQUEUE,
    /** Its condition is false or something it needs was skipped. */
    SKIP,
    /** A worker claimed it and starts the attempt. */
    START,
    /**
     * The lease of a running attempt expired (a worker died) and another worker claimed it: the
     * attempt runs again with the same idempotency key, and the step counts a duplicate delivery.
     */
    REDELIVER,
    /** The attempt paused: approval, timer or child run. */
    WAIT,
    SUCCEED,
    /** The attempt failed and the retry policy grants another: back to the queue with a delay. */
    RETRY,
    FAIL,
    TIME_OUT,
    CANCEL
  }

  /**
   * The step state machine. Waiting steps are not retried: an approval, a timer or a child run that
   * failed or timed out is an answer, not a glitch. Terminal states have no outgoing edges, so a
   * result that arrives after a timeout or a cancel is discarded (and logged), never applied.
   */
  public static final TransitionTable<StepStatus, Event> TRANSITIONS =
      TransitionTable.of(
          "step",
          StepStatus.class,
          List.of(
              edge(PENDING, Event.ENQUEUE, READY),
              edge(PENDING, Event.SKIP, SKIPPED),
              edge(PENDING, Event.CANCEL, CANCELLED),
              edge(READY, Event.START, RUNNING),
              edge(READY, Event.CANCEL, CANCELLED),
              edge(RUNNING, Event.REDELIVER, RUNNING),
              edge(RUNNING, Event.WAIT, WAITING),
              edge(RUNNING, Event.SUCCEED, SUCCEEDED),
              edge(RUNNING, Event.RETRY, READY),
              edge(RUNNING, Event.FAIL, FAILED),
              edge(RUNNING, Event.TIME_OUT, TIMED_OUT),
              edge(RUNNING, Event.CANCEL, CANCELLED),
              edge(WAITING, Event.SUCCEED, SUCCEEDED),
              edge(WAITING, Event.FAIL, FAILED),
              edge(WAITING, Event.TIME_OUT, TIMED_OUT),
              edge(WAITING, Event.CANCEL, CANCELLED)));

  public boolean terminal() {
    return switch (this) {
      case PENDING, READY, RUNNING, WAITING -> false;
      case SUCCEEDED, FAILED, SKIPPED, CANCELLED, TIMED_OUT -> true;
    };
  }
}
