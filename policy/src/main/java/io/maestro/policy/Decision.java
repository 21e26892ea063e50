package io.maestro.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The answer of the policy decision point for one action. Every decision names the bundle revision
 * that made it and the digest of the input it was made on, so a receipt can prove which signed
 * policy allowed or refused what.
 *
 * @param id unique and time-ordered ({@code dec_…}); the decision log and receipts refer to it
 * @param reasons why the action is refused (empty when allowed)
 * @param obligations what the caller must do when it proceeds (e.g. {@code enhanced_audit}); JSON
 *     objects, never mutated
 * @param bundleRevision the revision of the bundle that decided, or empty when none was loaded
 * @param inputDigest {@code sha256:<hex>} of the canonical JSON of the full (unmasked) input
 * @param path the policy path evaluated, e.g. {@code maestro/authz/decision}
 */
public record Decision(
    String id,
    boolean allow,
    List<Reason> reasons,
    List<JsonNode> obligations,
    String bundleRevision,
    String inputDigest,
    String path,
    Instant time,
    Duration duration) {

  public Decision {
    Objects.requireNonNull(id, "id");
    reasons = List.copyOf(reasons);
    obligations = obligations.stream().map(JsonNode::deepCopy).map(n -> (JsonNode) n).toList();
    Objects.requireNonNull(bundleRevision, "bundleRevision");
    Objects.requireNonNull(inputDigest, "inputDigest");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(duration, "duration");
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
}
