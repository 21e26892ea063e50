package io.maestro.evidence.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.provenance.Receipt;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of the access log: a request's decision as who (the actor and roles), what (action,
 * method, route, resource), the decision (allow, reasons, bundle revision, input digest) and the
 * result (denied, or allowed and the receipts that recorded its effect, and the HTTP status the
 * request was answered with).
 */
final class AccessEntry {
  /** The actor of a decision whose recorded input was erased by a retention rule. */
  static final String ERASED = "(input erased)";

  private AccessEntry() {}

  static ObjectNode of(JsonNode event, List<Receipt> effects) {
    JsonNode in = event.path("input");
    ObjectNode a = JsonNodeFactory.instance.objectNode();
    a.put("time", event.path("timestamp").asText());
    a.put("decision", event.path("decision_id").asText());
    a.put("actor", in.isMissingNode() ? ERASED : in.path("actor").path("sub").asText("(unknown)"));
    a.set(
        "roles",
        in.path("actor").path("roles").isArray()
            ? in.path("actor").path("roles")
            : JsonNodeFactory.instance.arrayNode());
    a.put("action", in.path("action").asText(event.path("path").asText()));
    a.put("method", in.path("request").path("method").asText(null));
    a.put("route", in.path("request").path("route").asText(null));
    JsonNode res = in.path("resource");
    a.put(
        "resource",
        res.isMissingNode() ? null : res.path("type").asText() + ":" + res.path("id").asText());
    a.put("profile", in.path("tenant").path("profile").asText(null));
    JsonNode result = event.path("result");
    boolean allow = result.path("allow").asBoolean(false);
    a.put("allow", allow);
    a.set(
        "reasons",
        result.path("reasons").isArray()
            ? result.path("reasons")
            : JsonNodeFactory.instance.arrayNode());
    ObjectNode bundles = a.putObject("bundles");
    event
        .path("bundles")
        .properties()
        .forEach(b -> bundles.put(b.getKey(), b.getValue().path("revision").asText()));
    a.put("input_digest", event.path("input_digest").asText());
    a.put("result", allow ? "allowed" : "denied");
    // The HTTP status the request was answered with (on the gate's decision and each re-check of
    // the request); null for a decision the server made by itself, or a request still being
    // answered when the bundle was made.
    JsonNode status = event.path("http_status");
    if (status.isInt()) {
      a.put("status", status.asInt());
    } else {
      a.putNull("status");
    }
    ArrayNode receipts = a.putArray("receipts");
    for (Receipt r : effects) {
      receipts
          .addObject()
          .put("seq", r.seq())
          .put("type", r.type().name())
          .put("file", BundleFormat.receipt(r.seq()));
    }
    return a;
  }

  static ObjectNode indexEntry(ObjectNode a, int line) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("time", a.path("time").asText());
    e.put("actor", a.path("actor").asText());
    e.put("action", a.path("action").asText());
    e.put("kind", "request");
    e.put("subject", a.path("resource").asText(""));
    e.put("method", a.path("method").asText(null));
    e.put("route", a.path("route").asText(null));
    e.put("file", BundleFormat.ACCESS_LOG);
    e.put("line", line);
    e.put("decision", a.path("decision").asText());
    e.put("allow", a.path("allow").asBoolean());
    e.set("reasons", a.path("reasons"));
    e.put("result", a.path("result").asText());
    e.set("status", a.path("status"));
    e.set("receipts", a.path("receipts"));
    return e;
  }

  static List<String> subjects(ObjectNode a) {
    List<String> s = new ArrayList<>();
    String resource = a.path("resource").asText("");
    if (!resource.isEmpty() && !resource.endsWith(":*") && !resource.endsWith(":")) {
      s.add(resource);
    }
    return s;
  }
}
