package io.maestro.evidence.controls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;

/**
 * The control catalog with its live statuses as OSCAL 1.1.2 JSON: a {@code component-definition}
 * (Maestro as a component; each control an implemented requirement, marked owned or supported via
 * evidence) and {@code assessment-results} (one result; each control a finding, {@code satisfied}
 * when {@code met}, with an observation per evidence type linking the receipt behind it). UUIDs are
 * name-based (version 5) from the tenant, catalog version and control, so the same catalog names
 * the same things in every export.
 */
public final class OscalExport {
  /** The OSCAL version the documents follow (and the vendored schemas in the tests). */
  public static final String OSCAL_VERSION = "1.1.2";

  private static final UUID NAMESPACE = UUID.fromString("6b1f7c0e-5d0a-5c39-9f4e-3a8d2c1b0e7a");

  private OscalExport() {}

  /** The component definition of {@code status} (as {@link ControlStatus#evaluate} returns). */
  public static ObjectNode componentDefinition(JsonNode status, Instant now) {
    String tenant = status.path("tenant").asText();
    String version = status.path("catalog_version").asText();
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode cd = root.putObject("component-definition");
    cd.put("uuid", uuid("component-definition", tenant, version));
    cd.set(
        "metadata", metadata("Maestro Conductor controls (catalog " + version + ")", version, now));
    ObjectNode component = cd.putArray("components").addObject();
    component.put("uuid", uuid("component", tenant, version));
    component.put("type", "software");
    component.put("title", "Maestro Conductor");
    component.put(
        "description",
        "A governed workflow orchestrator: policy-gated actions, signed receipts, tenant isolation.");
    ObjectNode impl = component.putArray("control-implementations").addObject();
    impl.put("uuid", uuid("control-implementation", tenant, version));
    impl.put("source", "#conductor-catalog-" + version);
    impl.put("description", "The Conductor control catalog, version " + version + ".");
    ArrayNode reqs = impl.putArray("implemented-requirements");
    for (JsonNode c : status.path("controls")) {
      ObjectNode r = reqs.addObject();
      r.put("uuid", uuid("requirement", tenant, version, c.path("id").asText()));
      r.put("control-id", c.path("id").asText());
      StringBuilder d = new StringBuilder(c.path("title").asText()).append(". Implemented by: ");
      d.append(String.join(", ", texts(c.path("features")))).append('.');
      r.put("description", d.toString());
      ArrayNode props = r.putArray("props");
      props.addObject().put("name", "implementation-status").put("value", implementationStatus(c));
      props
          .addObject()
          .put("name", "responsibility")
          .put("ns", "https://maestro.io/ns/oscal")
          .put("value", c.path("mode").asText());
      for (String fw : texts(c.path("frameworks"))) {
        props
            .addObject()
            .put("name", "framework")
            .put("ns", "https://maestro.io/ns/oscal")
            .put("value", fw);
      }
    }
    return root;
  }

  /** The assessment results of {@code status}: one finding per control. */
  public static ObjectNode assessmentResults(JsonNode status, Instant now) {
    String tenant = status.path("tenant").asText();
    String version = status.path("catalog_version").asText();
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode ar = root.putObject("assessment-results");
    ar.put("uuid", uuid("assessment-results", tenant, version, now.toString()));
    ar.set(
        "metadata", metadata("Maestro Conductor control status of tenant " + tenant, version, now));
    ar.putObject("import-ap").put("href", "#conductor-catalog-" + version);
    ObjectNode result = ar.putArray("results").addObject();
    result.put("uuid", uuid("result", tenant, version, now.toString()));
    result.put("title", "Control status from the tenant's receipts");
    result.put(
        "description",
        "Each control's status computed from the receipts in the tenant's signed log"
            + (status.path("since").isNull()
                ? "."
                : " since " + status.path("since").asText() + "."));
    result.put("start", time(now));
    result
        .putObject("reviewed-controls")
        .putArray("control-selections")
        .addObject()
        .putObject("include-all");
    ArrayNode observations = JsonNodeFactory.instance.arrayNode();
    ArrayNode findings = JsonNodeFactory.instance.arrayNode();
    for (JsonNode c : status.path("controls")) {
      String id = c.path("id").asText();
      ObjectNode f = findings.addObject();
      f.put("uuid", uuid("finding", tenant, version, id, now.toString()));
      f.put("title", c.path("title").asText());
      f.put("description", "Control " + id + ": " + c.path("status").asText() + ".");
      f.putArray("props")
          .addObject()
          .put("name", "status")
          .put("ns", "https://maestro.io/ns/oscal")
          .put("value", c.path("status").asText().replace('_', '-'));
      ObjectNode target = f.putObject("target");
      target.put("type", "objective-id");
      target.put("target-id", id);
      target
          .putObject("status")
          .put("state", c.path("status").asText().equals("met") ? "satisfied" : "not-satisfied");
      ArrayNode related = JsonNodeFactory.instance.arrayNode();
      for (JsonNode e : c.path("evidence")) {
        String type = e.path("receipt_type").asText();
        ObjectNode o = observations.addObject();
        String ou = uuid("observation", tenant, version, id, type, now.toString());
        o.put("uuid", ou);
        o.put(
            "description",
            "Receipt type " + type + (e.path("found").asBoolean() ? ": found." : ": no receipt."));
        o.putArray("methods").add("AUTOMATED");
        o.put("collected", time(now));
        if (e.path("found").asBoolean()) {
          o.putArray("relevant-evidence")
              .addObject()
              .put("href", e.path("receipt").asText())
              .put("description", "The first " + type + " receipt, with its proof.");
        }
        related.addObject().put("observation-uuid", ou);
      }
      if (!related.isEmpty()) {
        f.set("related-observations", related);
      }
    }
    if (!observations.isEmpty()) {
      result.set("observations", observations);
    }
    if (!findings.isEmpty()) {
      result.set("findings", findings);
    }
    return root;
  }

  private static String implementationStatus(JsonNode c) {
    return switch (c.path("status").asText()) {
      case "met" -> "implemented";
      case "partial" -> "partial";
      default -> "planned";
    };
  }

  private static ObjectNode metadata(String title, String version, Instant now) {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("title", title);
    m.put("last-modified", time(now));
    m.put("version", version);
    m.put("oscal-version", OSCAL_VERSION);
    return m;
  }

  private static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static java.util.List<String> texts(JsonNode a) {
    java.util.List<String> out = new java.util.ArrayList<>();
    a.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** A name-based (version 5, SHA-1) UUID of {@code parts} in Maestro's namespace. */
  static String uuid(String... parts) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      ByteBuffer ns = ByteBuffer.allocate(16);
      ns.putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
      sha1.update(ns.array());
      sha1.update(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
      byte[] h = Arrays.copyOf(sha1.digest(), 16);
      h[6] = (byte) ((h[6] & 0x0f) | 0x50);
      h[8] = (byte) ((h[8] & 0x3f) | 0x80);
      ByteBuffer b = ByteBuffer.wrap(h);
      return new UUID(b.getLong(), b.getLong()).toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
