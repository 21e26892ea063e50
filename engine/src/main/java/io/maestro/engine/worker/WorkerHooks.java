package io.maestro.engine.worker;

import io.maestro.engine.queue.WorkItem;
import java.time.Duration;

/**
 * Points where a test can observe or pace a {@link WorkerPool}; production uses {@link #NONE}.
 *
 * @param heartbeatPause waits between two heartbeat rounds (by default: sleeps)
 * @param afterHeartbeat called after the heartbeat renewed (or failed to renew) one row
 * @param afterHandle called on the worker thread after its handler returned, while the pool still
 *     counts the row as in flight
 */
public record WorkerHooks(Pause heartbeatPause, Heartbeat afterHeartbeat, Handled afterHandle) {
  public static final WorkerHooks NONE =
      new WorkerHooks(d -> Thread.sleep(d.toMillis()), (item, held) -> {}, item -> {});

  /** Waits between heartbeat rounds. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration every) throws InterruptedException;
  }

  /** Observes one renewal. */
  @FunctionalInterface
  public interface Heartbeat {
    void renewed(WorkItem item, boolean held);
  }

  /** Observes a handler that returned. */
  @FunctionalInterface
  public interface Handled {
    void handled(WorkItem item);
  }
}
