package io.maestro.server.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;
import io.maestro.metering.webhooks.Webhooks;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.store.Tx;
import java.util.List;
import java.util.Map;

/**
 * Incident notifications through the billing webhooks' delivery (ADR 0019): as an incident's
 * receipt is appended ({@code incident.opened}, {@code incident.updated}, {@code incident.closed}),
 * queues one CloudEvents document per endpoint of the tenant subscribed to {@code incident_opened},
 * {@code incident_updated} or {@code incident_closed}, in the same transaction. The dispatcher then
 * signs, guards and retries it like a metered event. The event's id is the receipt's, so a delivery
 * is queued once per step and names the receipt that proves it.
 */
public final class IncidentWebhooks implements Receipts.AppendHook {
  static final Map<String, String> TYPES =
      Map.of(
          ReceiptTypes.INCIDENT_OPENED.name(), "incident_opened",
          ReceiptTypes.INCIDENT_UPDATED.name(), "incident_updated",
          ReceiptTypes.INCIDENT_CLOSED.name(), "incident_closed");

  private final Webhooks webhooks;

  public IncidentWebhooks(Webhooks webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  public void appended(Tx tx, List<Receipts.Stored> receipts) {
    for (Receipts.Stored s : receipts) {
      Receipt r = s.receipt();
      String type = TYPES.get(r.type().name());
      if (type == null || !(r.log() instanceof LogId.Tenant t)) {
        continue;
      }
      webhooks.notify(tx, t.id(), type, r.id(), event(r, type, t.id().value()).toString());
    }
  }

  /** The CloudEvents 1.0 document of one incident step. */
  static ObjectNode event(Receipt r, String type, String tenant) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("specversion", "1.0");
    e.put("id", r.id());
    e.put("source", "/maestro/tenants/" + tenant + "/incidents");
    e.put("type", "io.maestro.governance." + type);
    e.put("subject", r.subject().kind() + "/" + r.subject().id());
    e.put("time", r.time().toString());
    e.put("datacontenttype", "application/json");
    ObjectNode data = e.putObject("data");
    data.put("tenant", tenant);
    data.put("incident", r.subject().id());
    JsonNode payload = r.payload().map(IncidentWebhooks::parse).orElse(Json.MAPPER.nullNode());
    data.put("step", payload.path("step").asText());
    data.set(
        "detail",
        payload.path("detail").isMissingNode()
            ? Json.MAPPER.createObjectNode()
            : payload.path("detail"));
    data.put("actor", r.actor().sub());
    data.put("receipt_id", r.id());
    r.decision().ifPresent(d -> data.put("decision_id", d.id()));
    return e;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      return Json.MAPPER.nullNode();
    }
  }
}
