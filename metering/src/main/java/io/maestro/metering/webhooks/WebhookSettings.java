package io.maestro.metering.webhooks;

import java.time.Duration;

/**
 * How webhooks are delivered.
 *
 * @param maxAttempts attempts per delivery before it is dead-lettered (a replay grants as many
 *     again)
 * @param timeout connect and response timeout of one attempt
 * @param backoffBase the wait after the first failed attempt; it doubles per attempt, with jitter
 * @param backoffMax the longest wait between attempts
 * @param rotationOverlap how long a rotated-out secret keeps signing beside the new one
 * @param settle how long after an event's time the fan-out keeps re-reading it, so an event whose
 *     transaction committed after a later one's is still delivered
 * @param maxEndpoints endpoints one tenant may register
 * @param batch deliveries attempted per dispatcher pass
 */
public record WebhookSettings(
    int maxAttempts,
    Duration timeout,
    Duration backoffBase,
    Duration backoffMax,
    Duration rotationOverlap,
    Duration settle,
    int maxEndpoints,
    int batch) {

  public WebhookSettings {
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("maxAttempts must be 1-100: " + maxAttempts);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (maxEndpoints < 1 || batch < 1) {
      throw new IllegalArgumentException("maxEndpoints and batch must be positive");
    }
  }

  /** Eight attempts over about two hours, 10 s per attempt, 24 h rotation overlap. */
  public static WebhookSettings defaults() {
    return new WebhookSettings(
        8,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofHours(1),
        Duration.ofHours(24),
        Duration.ofSeconds(30),
        20,
        50);
  }

  public WebhookSettings withMaxAttempts(int n) {
    return new WebhookSettings(
        n, timeout, backoffBase, backoffMax, rotationOverlap, settle, maxEndpoints, batch);
  }

  public WebhookSettings withTimeout(Duration t) {
    return new WebhookSettings(
        maxAttempts, t, backoffBase, backoffMax, rotationOverlap, settle, maxEndpoints, batch);
  }

  public WebhookSettings withBackoff(Duration base, Duration max) {
    return new WebhookSettings(
        maxAttempts, timeout, base, max, rotationOverlap, settle, maxEndpoints, batch);
  }

  /**
   * The wait before attempt {@code attempt + 1} after {@code attempt} failed: base × 2^(attempt-1),
   * at most max, of which a random half is taken away (jitter), so endpoints that failed together
   * are not retried together.
   */
  public Duration backoff(int attempt, double random) {
    long base = backoffBase.toMillis();
    long exp = base << Math.min(20, Math.max(0, attempt - 1));
    long capped = Math.min(backoffMax.toMillis(), exp < 0 ? Long.MAX_VALUE : exp);
    return Duration.ofMillis(capped / 2 + (long) (random * (capped / 2.0)));
  }
}
