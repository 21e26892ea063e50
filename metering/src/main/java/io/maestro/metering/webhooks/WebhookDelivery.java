package io.maestro.metering.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One event's delivery to one endpoint, with every attempt so far.
 *
 * @param id the {@code webhook-id} header, the same on every attempt (receivers deduplicate by it)
 * @param status {@code pending}, {@code delivered} or {@code dead}
 * @param nextAttemptAt when a pending delivery is tried next
 */
public record WebhookDelivery(
    String id,
    String endpointId,
    String eventId,
    String eventType,
    String status,
    Instant createdAt,
    Optional<Instant> nextAttemptAt,
    List<Attempt> attempts) {

  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";
  public static final String DEAD = "dead";

  /**
   * One attempt and its receipt.
   *
   * @param outcome {@code delivered} (a 2xx answer), {@code failed} or {@code timeout}
   */
  public record Attempt(
      int attempt,
      Instant at,
      String outcome,
      Optional<Integer> httpStatus,
      Optional<String> error,
      long durationMs,
      String receiptId) {}
}
