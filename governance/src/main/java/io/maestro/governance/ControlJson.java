package io.maestro.governance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.governance.internal.ReceiptSupport;
import java.time.Instant;

/** The JSON form of the controls, shared by receipts, the HTTP API and the policy input. */
public final class ControlJson {
  private ControlJson() {}

  public static ObjectNode ramp(Ramp r) {
    ObjectNode o = ReceiptSupport.JSON.createObjectNode();
    o.put("tenant", r.tenant());
    o.put("workflow", r.workflow());
    o.put("version", r.version());
    o.put("action", r.action());
    o.put("percent", r.percent());
    o.put("step", r.step());
    o.put("updated_by", r.updatedBy());
    o.put("updated_at", r.updatedAt().toString());
    return o;
  }

  public static ObjectNode rampChange(RampChange c) {
    ObjectNode o = ReceiptSupport.JSON.createObjectNode();
    o.put("seq", c.seq());
    o.put("workflow", c.workflow());
    o.put("version", c.version());
    o.put("action", c.action());
    o.put("step", c.step());
    try {
      o.set("diff", ReceiptSupport.JSON.readTree(c.diff()));
    } catch (java.io.IOException e) {
      o.put("diff", c.diff());
    }
    o.put("changed_by", c.changedBy());
    o.put("changed_at", c.changedAt().toString());
    o.put("decision_id", c.decisionId());
    o.put("receipt_id", c.receiptId());
    return o;
  }

  public static ObjectNode killSwitch(KillSwitch k) {
    ObjectNode o = ReceiptSupport.JSON.createObjectNode();
    o.put("id", k.id());
    o.put("tenant", k.tenant());
    o.put("scope", k.scope().wire());
    o.put("target", k.target());
    o.put("version", k.version());
    o.put("mode", k.mode().wire());
    o.put("reason", k.reason());
    o.put("pulled_by", k.pulledBy());
    o.put("pulled_at", k.pulledAt().toString());
    k.releasedAt().ifPresent(t -> o.put("released_at", t.toString()));
    return o;
  }

  public static ObjectNode throttle(Throttle t) {
    ObjectNode o = ReceiptSupport.JSON.createObjectNode();
    o.put("id", t.id());
    o.put("tenant", t.tenant());
    o.put("max_concurrent_runs", t.maxConcurrentRuns());
    o.put("reason", t.reason());
    t.incident().ifPresent(i -> o.put("incident", i));
    o.put("applied_by", t.appliedBy());
    o.put("applied_at", t.appliedAt().toString());
    o.put("active", t.active());
    t.releasedAt().ifPresent(x -> o.put("released_at", x.toString()));
    t.releasedBy().ifPresent(x -> o.put("released_by", x));
    return o;
  }

  public static ObjectNode freeze(FreezeWindow f, Instant now) {
    ObjectNode o = ReceiptSupport.JSON.createObjectNode();
    o.put("id", f.id());
    o.put("tenant", f.tenant());
    o.put("kind", f.kind().wire());
    f.startsAt().ifPresent(t -> o.put("from", t.toString()));
    f.endsAt().ifPresent(t -> o.put("to", t.toString()));
    if (f.kind() == FreezeWindow.Kind.WEEKLY) {
      o.put("from", f.weeklyFrom());
      o.put("to", f.weeklyTo());
    }
    o.put("zone", f.zone().getId());
    o.put("reason", f.reason());
    o.put("created_by", f.createdBy());
    if (now != null) {
      var span = f.activeAt(now);
      o.put("active", span.isPresent());
      span.ifPresent(s -> o.put("active_until", s.end().toString()));
    }
    return o;
  }

  public static ObjectNode grant(BreakGlassGrant g, Instant now) {
    ObjectNode o = ReceiptSupport.JSON.createObjectNode();
    o.put("id", g.id());
    o.put("tenant", g.tenant());
    o.put("reason", g.reason());
    ArrayNode a = o.putArray("actions");
    g.actions().forEach(a::add);
    o.put("needs_approval", g.needsApproval());
    o.put("opened_by", g.openedBy());
    o.put("opened_at", g.openedAt().toString());
    o.put("expires_at", g.expiresAt().toString());
    g.approvedBy().ifPresent(x -> o.put("approved_by", x));
    g.closedBy().ifPresent(x -> o.put("closed_by", x));
    g.closedAt().ifPresent(x -> o.put("closed_at", x.toString()));
    if (now != null) {
      o.put("state", g.state(now));
    }
    ArrayNode uses = o.putArray("uses");
    for (BreakGlassGrant.Use u : g.uses()) {
      ObjectNode x = uses.addObject();
      x.put("action", u.action());
      x.put("actor", u.actor());
      x.put("decision_id", u.decisionId());
      x.put("at", u.at().toString());
    }
    return o;
  }

  /** An incident; with its timeline when {@code timeline} is set. */
  public static ObjectNode incident(Incident i, boolean timeline) {
    ObjectNode o = ReceiptSupport.JSON.createObjectNode();
    o.put("id", i.id());
    o.put("workflow", i.workflow());
    o.put("version", i.version());
    o.put("status", i.status());
    o.put("title", i.title());
    o.put("opened_at", i.openedAt().toString());
    i.closedAt().ifPresent(t -> o.put("closed_at", t.toString()));
    i.closedBy().ifPresent(b -> o.put("closed_by", b));
    if (timeline) {
      var events = o.putArray("timeline");
      for (Incident.Event e : i.timeline()) {
        ObjectNode x = events.addObject();
        x.put("seq", e.seq());
        x.put("at", e.at().toString());
        x.put("kind", e.kind());
        x.put("actor", e.actor());
        x.set("detail", e.detail());
        x.put("receipt_id", e.receiptId());
      }
    }
    return o;
  }
}
