package io.maestro.evidence.storage;

import java.time.Duration;
import java.util.Optional;

/**
 * What the pack storage says before each attempt to write a pack: go ahead, or "too many requests,
 * try again after this long" (an object store's 429 with {@code Retry-After}). The store retries
 * with exponential backoff (at least the wait asked for) up to {@link PackStore#MAX_ATTEMPTS}
 * attempts, then fails the export with {@code evidence_storage_throttled} (503, retryable) and
 * writes nothing. An implementation may also slow an attempt down by blocking. Thread-safe.
 */
@FunctionalInterface
public interface StorageThrottle {
  StorageThrottle NONE = attempt -> Optional.empty();

  /**
   * @param attempt 1 for the first attempt of a write, 2 for its first retry, …
   * @return empty to write now, or the wait asked for before the next attempt
   */
  Optional<Duration> admit(int attempt);
}
