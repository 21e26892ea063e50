package io.maestro.core;

import java.time.Clock;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Creates time-ordered identifiers (UUID version 7, RFC 9562) from an injected clock and random
 * source, so ids sort by creation time in indexes and tests can replay them exactly.
 *
 * <p>Thread-safe: the random source is drawn under a lock, so callers may share one instance across
 * threads even with a generator that is not thread-safe itself (e.g. a seeded {@code
 * SplittableRandom}), and ids stay unique.
 */
public final class Ids {
  private final Clock clock;
  private final RandomGenerator random;

  public Ids(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  /** A new UUIDv7: 48 bits of Unix milliseconds, version, 74 random bits, variant. */
  public UUID next() {
    long millis = clock.millis();
    long high;
    long low;
    synchronized (random) {
      high = random.nextLong();
      low = random.nextLong();
    }
    long msb = (millis << 16) | 0x7000L | (high & 0x0FFFL);
    long lsb = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** A new id with a short type prefix, e.g. {@code run_0192...}. */
  public String next(String prefix) {
    return prefix + "_" + next().toString().replace("-", "");
  }
}
