package io.maestro.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A run's hold on its tenant's budget (ADR 0030): taken in the run's creating transaction for its
 * estimate, reduced as the run's events are priced, released when the run ends.
 *
 * @param heldUsd what it still holds: the estimate minus what the run cost so far, never below zero
 * @param releasedAt when the run ended; empty while it holds
 */
public record Reservation(
    String runId,
    String decisionId,
    Instant day,
    Instant month,
    BigDecimal estimatedUsd,
    BigDecimal heldUsd,
    Instant createdAt,
    Optional<Instant> releasedAt) {
  public Reservation {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(releasedAt, "releasedAt");
  }
}
