package io.maestro.lifecycle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/** The JSON form of a purge, as the API serves it and the receipts record it. */
public final class PurgeJson {
  private PurgeJson() {}

  /** The purge; with {@code now}, also how long until a scheduled purge runs. */
  public static ObjectNode of(Purge p, Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", p.id());
    o.put("tenant", p.tenant());
    o.put("scope", p.scope().wire());
    if (p.before().isPresent()) {
      o.put("before", p.before().get().toString());
    } else {
      o.putNull("before");
    }
    o.put("reason", p.reason());
    o.put("state", p.state());
    o.put("requested_by", p.requestedBy());
    o.put("request_decision", p.requestDecision());
    o.put("approvals_required", p.approvalsRequired());
    o.put("delay_seconds", p.delay().toSeconds());
    o.put("created_at", p.createdAt().toString());
    ArrayNode approvals = o.putArray("approvals");
    for (Purge.Approval a : p.approvals()) {
      approvals
          .addObject()
          .put("approver", a.approver())
          .put("decision_id", a.decisionId())
          .put("at", a.at().toString());
    }
    p.executeAfter().ifPresent(t -> o.put("execute_after", t.toString()));
    if (now != null && p.state().equals(Purge.SCHEDULED) && p.executeAfter().isPresent()) {
      o.put(
          "runs_in_seconds",
          Math.max(0, Duration.between(now, p.executeAfter().get()).toSeconds()));
    }
    p.executedAt().ifPresent(t -> o.put("executed_at", t.toString()));
    p.cancelledBy().ifPresent(s -> o.put("cancelled_by", s));
    p.cancelledAt().ifPresent(t -> o.put("cancelled_at", t.toString()));
    p.manifestDigest().ifPresent(d -> o.put("manifest_digest", d));
    return o;
  }
}
