package io.maestro.engine;

import static io.maestro.engine.TransitionTable.edge;

import java.util.List;

/** The states of a run. Terminal states never change again. */
public enum RunStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  TIMED_OUT;

  /** What happens to a run. */
  public enum Event {
    /** Its first step starts. */
    START,
    /** Every step finished and none failed. */
    SUCCEED,
    /** A step failed for good. */
    FAIL,
    /** A step ran out of time for good. */
    TIME_OUT,
    /** Someone cancelled it. */
    CANCEL
  }

  /**
   * The run state machine. A run that is still PENDING cannot succeed, fail or time out: those are
   * outcomes of steps, and a run becomes RUNNING before any step runs. Terminal states have no
   * outgoing edges, so a late message about a finished run is rejected, never applied.
   */
  public static final TransitionTable<RunStatus, Event> TRANSITIONS =
      TransitionTable.of(
          "run",
          RunStatus.class,
          List.of(
              edge(PENDING, Event.START, RUNNING),
              edge(PENDING, Event.CANCEL, CANCELLED),
              edge(RUNNING, Event.SUCCEED, SUCCEEDED),
              edge(RUNNING, Event.FAIL, FAILED),
              edge(RUNNING, Event.TIME_OUT, TIMED_OUT),
              edge(RUNNING, Event.CANCEL, CANCELLED)));

  public boolean terminal() {
    return switch (this) {
      case PENDING, RUNNING -> false;
      case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT -> true;
    };
  }
}
