package io.maestro.perf;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Timings reported by in-process engines: their first step records when it started, their last step
 * records when its transaction committed. Keyed by run id; one clock per JVM.
 */
public final class StepClock {
  private static final Map<String, Instant> STARTED = new ConcurrentHashMap<>();
  private static final Map<String, Instant> FINISHED = new ConcurrentHashMap<>();
  private static final Object DONE = new Object();

  private StepClock() {}

  /** The first step of {@code runId} began executing (a retry keeps the first time). */
  public static void firstStepStarted(String runId) {
    STARTED.putIfAbsent(runId, Instant.now());
  }

  /** The transaction that ended {@code runId} committed. */
  public static void finished(String runId) {
    FINISHED.putIfAbsent(runId, Instant.now());
    synchronized (DONE) {
      DONE.notifyAll();
    }
  }

  /** Waits until every run in {@code ids} finished or {@code deadline} passed. */
  public static Map<String, RunTimes> await(Collection<String> ids, Instant deadline)
      throws InterruptedException {
    for (String id : ids) {
      synchronized (DONE) {
        while (!FINISHED.containsKey(id)) {
          long waitMs = deadline.toEpochMilli() - System.currentTimeMillis();
          if (waitMs <= 0) {
            break;
          }
          DONE.wait(Math.min(waitMs, 200));
        }
      }
    }
    Map<String, RunTimes> out = new HashMap<>();
    for (String id : ids) {
      Instant end = FINISHED.get(id);
      Instant start = STARTED.get(id);
      if (end != null && start != null) {
        out.put(id, new RunTimes(start, end, true));
      }
    }
    return out;
  }
}
