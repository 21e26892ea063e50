package io.maestro.lifecycle.retention;

import java.time.Instant;
import java.util.Optional;

/** A legal hold on a tenant: while it is active nothing of the tenant is deleted. */
public record LegalHold(
    String id,
    String reason,
    String placedBy,
    Instant placedAt,
    Optional<String> releasedBy,
    Optional<Instant> releasedAt,
    Optional<String> releaseReason) {
  public boolean active() {
    return releasedAt.isEmpty();
  }
}
