package io.maestro.engine.queue;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A wake-up for many waiters: unlike {@link WakeSignal}, which hands one remembered signal to one
 * dispatcher, every waiter that started waiting before a {@link #wake} returns. Long polls of
 * external workers wait on it; a waiter compares generations so a wake between its last look at the
 * queue and its wait is not lost. Thread-safe.
 */
public final class Broadcast {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long generation;

  public void wake() {
    lock.lock();
    try {
      generation++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The current generation, to pass to {@link #await} after looking at the queue. */
  public long generation() {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until a wake after {@code seen} or until {@code max} passes.
   *
   * @return true when woken
   */
  public boolean await(long seen, Duration max) throws InterruptedException {
    lock.lock();
    try {
      long nanos = max.toNanos();
      while (generation == seen && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      return generation != seen;
    } finally {
      lock.unlock();
    }
  }
}
