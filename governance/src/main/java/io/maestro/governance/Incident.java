package io.maestro.governance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An incident on one workflow version of a tenant, opened by the rollback controller when the
 * version breached its error budget while ramped, with its timeline.
 *
 * @param status {@code open} or {@code closed}
 */
public record Incident(
    String id,
    String tenant,
    String workflow,
    String version,
    String status,
    String title,
    Instant openedAt,
    Optional<Instant> closedAt,
    Optional<String> closedBy,
    List<Event> timeline) {
  public static final String OPEN = "open";
  public static final String CLOSED = "closed";

  public Incident {
    timeline = List.copyOf(timeline);
  }

  /**
   * One step of the timeline.
   *
   * @param kind {@code breach_detected}, {@code mitigation_applied}, {@code mitigation_refused},
   *     {@code recovered} or {@code closed}
   * @param detail the numbers and references of the step (breach rates, ramp from/to, reasons)
   * @param receiptId the receipt that records the step
   */
  public record Event(
      int seq, Instant at, String kind, JsonNode detail, String actor, String receiptId) {}
}
