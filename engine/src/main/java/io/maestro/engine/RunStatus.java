package io.maestro.engine;

import static io.maestro.engine.TransitionTable.edge;

import java.util.List;

/** The states of a run. Terminal states never change again. */
public enum RunStatus {
  PENDING,
  RUNNING,
  /**
   * Held by a kill switch in pause mode: no step of the run is dispatched, and none is queued after
   * a step finishes. Attempts already running when it paused finish and are recorded.
   */
  PAUSED,
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
    CANCEL,
    /** A kill switch in pause mode holds it. */
    PAUSE,
    /** The switches that held it were released. */
    RESUME
  }

  /**
   * The run state machine. A run that is still PENDING cannot succeed, fail or time out: those are
   * outcomes of steps, and a run becomes RUNNING before any step runs. Terminal states have no
   * outgoing edges, so a late message about a finished run is rejected, never applied.
   *
   * <p>A PAUSED run resumes as RUNNING even when it was paused before its first step started:
   * resuming is the moment its steps may run. It can still end while paused, because an attempt
   * that was running when it paused finishes: when that was its last step the run succeeds, when
   * the step failed or timed out for good the run fails or times out. It cannot start while paused
   * (no step is dispatched), so there is no PAUSED --START edge; pausing a paused run is not an
   * edge either (the pause handler answers it without a transition).
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
              edge(RUNNING, Event.CANCEL, CANCELLED),
              edge(PENDING, Event.PAUSE, PAUSED),
              edge(RUNNING, Event.PAUSE, PAUSED),
              edge(PAUSED, Event.RESUME, RUNNING),
              edge(PAUSED, Event.SUCCEED, SUCCEEDED),
              edge(PAUSED, Event.FAIL, FAILED),
              edge(PAUSED, Event.TIME_OUT, TIMED_OUT),
              edge(PAUSED, Event.CANCEL, CANCELLED)));

  public boolean terminal() {
    return switch (this) {
      case PENDING, RUNNING, PAUSED -> false;
      case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT -> true;
    };
  }
}
