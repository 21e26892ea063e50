package io.maestro.engine.queue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process wake-up: whoever enqueues work signals after commit, and idle dispatchers wake at
 * once instead of waiting for the next poll. A signal given while nobody waits is remembered, so a
 * wake-up between "queue looked empty" and "start waiting" is not lost. Thread-safe.
 */
public final class WakeSignal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean pending;

  public void wake() {
    lock.lock();
    try {
      pending = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until woken or {@code max} passes.
   *
   * @return true when woken
   */
  public boolean await(Duration max) throws InterruptedException {
    lock.lock();
    try {
      long nanos = max.toNanos();
      while (!pending && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      boolean woken = pending;
      pending = false;
      return woken;
    } finally {
      lock.unlock();
    }
  }

  /** Waits at most {@code millis}. */
  public boolean await(long millis) throws InterruptedException {
    return await(Duration.of(millis, TimeUnit.MILLISECONDS.toChronoUnit()));
  }
}
