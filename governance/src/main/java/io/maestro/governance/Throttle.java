package io.maestro.governance;

import java.time.Instant;
import java.util.Optional;

/**
 * A throttle on a tenant's starts: while active, a start is refused by the policy with {@code
 * throttled} when the tenant already has {@code maxConcurrentRuns} runs pending or running.
 *
 * @param incident the incident whose mitigation applied it, if any
 */
public record Throttle(
    String id,
    String tenant,
    int maxConcurrentRuns,
    String reason,
    Optional<String> incident,
    String appliedBy,
    Instant appliedAt,
    Optional<Instant> releasedAt,
    Optional<String> releasedBy) {

  public boolean active() {
    return releasedAt.isEmpty();
  }
}
