package io.maestro.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One purge request and where it stands.
 *
 * @param before the cut-off (data that ended before it); empty for a whole-tenant purge
 * @param state {@code awaiting_approval}, {@code scheduled} (approved, waiting for its delay),
 *     {@code executed} or {@code cancelled}
 * @param executeAfter when a scheduled purge runs (approval time plus the delay)
 */
public record Purge(
    String id,
    String tenant,
    PurgeScope scope,
    Optional<Instant> before,
    String reason,
    String requestedBy,
    String requestDecision,
    int approvalsRequired,
    Duration delay,
    String state,
    Instant createdAt,
    Optional<Instant> executeAfter,
    Optional<Instant> executedAt,
    Optional<String> cancelledBy,
    Optional<Instant> cancelledAt,
    Optional<String> manifestDigest,
    List<Approval> approvals) {

  public static final String AWAITING_APPROVAL = "awaiting_approval";
  public static final String SCHEDULED = "scheduled";
  public static final String EXECUTED = "executed";
  public static final String CANCELLED = "cancelled";

  public Purge {
    approvals = List.copyOf(approvals);
  }

  /** One distinct approver and the decision that allowed the approval. */
  public record Approval(String approver, String decisionId, Instant at) {}

  public List<String> approvers() {
    return approvals.stream().map(Approval::approver).toList();
  }
}
