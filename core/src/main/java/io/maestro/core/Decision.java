package io.maestro.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answer of the policy decision point for one action, and the one value that carries it: the
 * gate enforces it, the run stores it as its admission, and every receipt records it as it is. No
 * module copies it into a shape of its own, so the decision log, the run and the receipts cannot
 * disagree about what policy said.
 *
 * <p>Every decision names the bundle revision that made it and the digest of the input it was made
 * on, so a receipt can prove which signed policy allowed or refused what. How long the evaluation
 * took is a metric of the decision log, not part of the answer.
 *
 * @param id unique and time-ordered ({@code dec_…}); the decision log and receipts refer to it
 * @param reasons why the action is refused (empty when allowed)
 * @param obligations what the caller must do when it proceeds (e.g. {@code enhanced_audit}); JSON
 *     objects, never mutated
 * @param bundleRevision the revision of the bundle that decided, or empty when none was loaded
 * @param inputDigest {@code sha256:<hex>} of the canonical JSON of the full (unmasked) input, empty
 *     in receipts written before receipts recorded it
 * @param path the policy path evaluated, e.g. {@code maestro/authz/decision}
 * @param time when the decision was made, in milliseconds (the precision receipts record)
 */
public record Decision(
    String id,
    boolean allow,
    List<Reason> reasons,
    List<JsonNode> obligations,
    String bundleRevision,
    String inputDigest,
    String path,
    Instant time) {

  public Decision {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a decision needs an id");
    }
    reasons = List.copyOf(reasons);
    obligations = obligations.stream().map(JsonNode::deepCopy).map(n -> (JsonNode) n).toList();
    Objects.requireNonNull(bundleRevision, "bundleRevision");
    Objects.requireNonNull(inputDigest, "inputDigest");
    Objects.requireNonNull(path, "path");
    time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MILLIS);
  }

  @Override
  public List<JsonNode> obligations() {
    return obligations.stream().map(JsonNode::deepCopy).map(n -> (JsonNode) n).toList();
  }

  /** One reason for a refusal: a stable snake_case code and a human message. */
  public record Reason(String code, String message) {
    public Reason {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /** The reason every fail-closed decision carries. */
  public static final String POLICY_UNAVAILABLE = "policy_unavailable";

  /** Whether this decision was forced by a failure to evaluate rather than made by policy. */
  public boolean failedClosed() {
    return !allow && reasons.stream().anyMatch(r -> r.code().equals(POLICY_UNAVAILABLE));
  }

  /** The reason codes, in order. */
  public List<String> reasonCodes() {
    return reasons.stream().map(Reason::code).toList();
  }

  /** The policy's result as JSON: {@code {allow, reasons[{code,message}], obligations[]}}. */
  public ObjectNode resultJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("allow", allow);
    ArrayNode rs = o.putArray("reasons");
    for (Reason r : reasons) {
      rs.addObject().put("code", r.code()).put("message", r.message());
    }
    ArrayNode os = o.putArray("obligations");
    obligations.forEach(n -> os.add(n.deepCopy()));
    return o;
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * The whole decision as JSON, the form receipts and the run's admission record: {@code {id,
   * allow, reasons[{code,message}], obligations[], bundle_revision (null when none), input_digest,
   * path, time}}, the time with exactly three fractional digits.
   */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", id);
    o.put("allow", allow);
    ObjectNode result = resultJson();
    o.set("reasons", result.get("reasons"));
    o.set("obligations", result.get("obligations"));
    if (bundleRevision.isEmpty()) {
      o.putNull("bundle_revision");
    } else {
      o.put("bundle_revision", bundleRevision);
    }
    o.put("input_digest", inputDigest);
    o.put("path", path);
    o.put("time", TIME.format(time));
    return o;
  }

  /**
   * Reads the form {@link #toJson()} writes.
   *
   * @throws IllegalArgumentException naming the member that is missing or malformed
   */
  public static Decision fromJson(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("a decision is a JSON object");
    }
    JsonNode allow = o.get("allow");
    if (allow == null || !allow.isBoolean()) {
      throw new IllegalArgumentException("member 'decision.allow' is not a boolean");
    }
    List<Reason> reasons = new ArrayList<>();
    for (JsonNode r : array(o, "reasons")) {
      if (!r.isObject()) {
        throw new IllegalArgumentException("member 'decision.reasons' holds a non-object");
      }
      reasons.add(new Reason(text(r, "code"), text(r, "message")));
    }
    List<JsonNode> obligations = new ArrayList<>();
    array(o, "obligations").forEach(obligations::add);
    JsonNode rev = o.get("bundle_revision");
    Instant time;
    try {
      time = Instant.parse(text(o, "time"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("member 'decision.time' is not an RFC 3339 time", e);
    }
    return new Decision(
        text(o, "id"),
        allow.booleanValue(),
        reasons,
        obligations,
        rev == null || rev.isNull() ? "" : rev.asText(),
        text(o, "input_digest"),
        text(o, "path"),
        time);
  }

  private static String text(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("member 'decision." + name + "' is not a string");
    }
    return v.textValue();
  }

  private static JsonNode array(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null || !v.isArray()) {
      throw new IllegalArgumentException("member 'decision." + name + "' is not an array");
    }
    return v;
  }
}
