package io.maestro.engine.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * How a worker pool runs.
 *
 * @param concurrency attempts executed at once (each on its own virtual thread)
 * @param batch most rows claimed per query
 * @param lease how long a claim holds without a heartbeat; a worker that dies is replaced after
 *     this long. Heartbeats run every third of it.
 * @param poll the slow poll: the longest an idle dispatcher sleeps when no wake-up arrives
 */
public record WorkerSettings(int concurrency, int batch, Duration lease, Duration poll) {
  public WorkerSettings {
    if (concurrency < 1 || batch < 1) {
      throw new IllegalArgumentException("concurrency and batch must be positive");
    }
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(poll, "poll");
    if (lease.toMillis() < 300) {
      throw new IllegalArgumentException("a lease shorter than 300ms cannot be heartbeated");
    }
  }

  public static WorkerSettings defaults() {
    return new WorkerSettings(64, 32, Duration.ofSeconds(30), Duration.ofSeconds(2));
  }

  public WorkerSettings withLease(Duration l) {
    return new WorkerSettings(concurrency, batch, l, poll);
  }

  public WorkerSettings withPoll(Duration p) {
    return new WorkerSettings(concurrency, batch, lease, p);
  }

  public WorkerSettings withConcurrency(int c) {
    return new WorkerSettings(c, Math.min(batch, c), lease, poll);
  }
}
