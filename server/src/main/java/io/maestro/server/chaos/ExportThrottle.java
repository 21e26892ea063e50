package io.maestro.server.chaos;

import io.maestro.evidence.storage.StorageThrottle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code export-throttle} fault: while it lasts the evidence storage refuses the first {@link
 * #REFUSED} attempts of every pack write ("429, retry after 100 ms") and slows each attempt by
 * {@link #SLOW}, so an export goes through only by retrying with backoff. Counts the refusals, for
 * the drill to see from outside.
 */
public final class ExportThrottle implements StorageThrottle {
  static final int REFUSED = 2;
  static final Duration SLOW = Duration.ofMillis(100);
  private static final Duration RETRY_AFTER = Duration.ofMillis(100);

  private final Clock clock;
  private final AtomicLong refused = new AtomicLong();
  private volatile Instant until = Instant.MIN;

  public ExportThrottle(Clock clock) {
    this.clock = clock;
  }

  void start(Instant until) {
    this.until = until;
  }

  void stop() {
    this.until = Instant.MIN;
  }

  /** Writes refused since the server started. */
  public long refused() {
    return refused.get();
  }

  @Override
  public Optional<Duration> admit(int attempt) {
    if (!clock.instant().isBefore(until)) {
      return Optional.empty();
    }
    try {
      Thread.sleep(SLOW);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (attempt <= REFUSED) {
      refused.incrementAndGet();
      return Optional.of(RETRY_AFTER);
    }
    return Optional.empty();
  }
}
