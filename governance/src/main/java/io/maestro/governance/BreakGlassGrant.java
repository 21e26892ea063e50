package io.maestro.governance;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A break-glass grant: for a limited time, with a mandatory reason, it lets the named actions
 * through a freeze. When {@code needsApproval} (the {@code regulated} profile), it lets nothing
 * through until a second person approves it.
 */
public record BreakGlassGrant(
    String id,
    String tenant,
    String reason,
    List<String> actions,
    boolean needsApproval,
    String openedBy,
    Instant openedAt,
    Instant expiresAt,
    Optional<String> approvedBy,
    Optional<Instant> approvedAt,
    Optional<String> closedBy,
    Optional<Instant> closedAt,
    List<Use> uses) {

  public BreakGlassGrant {
    actions = List.copyOf(actions);
    uses = List.copyOf(uses);
  }

  /** One action done under the grant. */
  public record Use(String action, String actor, String decisionId, Instant at) {}

  /** open, awaiting_approval, expired or closed at {@code now}. */
  public String state(Instant now) {
    if (closedAt.isPresent()) {
      return "closed";
    }
    if (!now.isBefore(expiresAt)) {
      return "expired";
    }
    if (needsApproval && approvedBy.isEmpty()) {
      return "awaiting_approval";
    }
    return "open";
  }

  /** Whether the grant lets its actions through at {@code now}. */
  public boolean usable(Instant now) {
    return state(now).equals("open");
  }
}
