package io.maestro.engine.manifest;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * How a failed attempt is retried: at most {@code max} further attempts, waiting an exponentially
 * growing, fully jittered delay ({@code backoff × 2^(attempt-1)}, capped at {@link #MAX_DELAY}),
 * only for the error kinds in {@code on}.
 */
public record RetryPolicy(int max, Duration backoff, Set<ErrorKind> on) {
  public static final Duration MAX_DELAY = Duration.ofMinutes(10);
  public static final RetryPolicy NONE =
      new RetryPolicy(0, Duration.ofSeconds(1), EnumSet.of(ErrorKind.PLATFORM, ErrorKind.TIMEOUT));

  public RetryPolicy {
    Objects.requireNonNull(backoff, "backoff");
    on = Set.copyOf(on);
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0");
    }
  }

  /** Whether attempt number {@code attempt} (1-based) that failed with {@code kind} is retried. */
  public boolean retries(int attempt, ErrorKind kind) {
    return attempt <= max && on.contains(kind);
  }

  /**
   * The delay before the attempt after {@code attempt}: full jitter, i.e. uniform in [d/2, d] where
   * d is the exponential delay, so a crowd of failures spreads out instead of retrying in lockstep.
   */
  public Duration delayAfter(int attempt, RandomGenerator random) {
    long base = Math.max(1, backoff.toMillis());
    int shift = Math.min(attempt - 1, 30);
    long d = Math.min(MAX_DELAY.toMillis(), base << shift);
    if (d <= 1) {
      return Duration.ofMillis(d);
    }
    long half = d / 2;
    return Duration.ofMillis(half + random.nextLong(d - half + 1));
  }
}
