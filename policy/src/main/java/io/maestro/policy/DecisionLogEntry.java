package io.maestro.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of the decision log, with the fields of OPA's decision log events so existing tooling
 * reads it: {@code decision_id}, {@code path}, {@code input} (masked), {@code result}, {@code
 * bundles}, {@code timestamp}, {@code metrics.timer_rego_query_eval_ns}, {@code erased}, {@code
 * masked}; plus Maestro's {@code input_digest} and {@code tenant_id}.
 *
 * @param bundles the revision of every loaded bundle, by bundle name
 * @param maskedInput the input after the mask rule erased or replaced sensitive fields (null when
 *     the mask rule failed: the input is then left out)
 * @param erased JSON pointers removed from the input
 * @param masked JSON pointers whose value was replaced
 * @param evaluation how long the decision point took to decide
 */
public record DecisionLogEntry(
    Decision decision,
    Optional<String> tenantId,
    java.util.Map<String, String> bundles,
    JsonNode maskedInput,
    List<String> erased,
    List<String> masked,
    Duration evaluation) {

  public DecisionLogEntry {
    Objects.requireNonNull(evaluation);
    Objects.requireNonNull(decision);
    Objects.requireNonNull(tenantId);
    bundles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(bundles));
    maskedInput = maskedInput == null ? null : maskedInput.deepCopy();
    erased = List.copyOf(erased);
    masked = List.copyOf(masked);
  }

  /** The event in OPA's decision-log JSON shape. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("decision_id", decision.id());
    o.put("path", decision.path());
    if (maskedInput != null) {
      o.set("input", maskedInput.deepCopy());
    }
    o.set("result", decision.resultJson());
    ObjectNode b = o.putObject("bundles");
    bundles.forEach((name, revision) -> b.putObject(name).put("revision", revision));
    o.put("timestamp", decision.time().toString());
    o.putObject("metrics").put("timer_rego_query_eval_ns", evaluation.toNanos());
    if (!erased.isEmpty()) {
      erased.forEach(o.putArray("erased")::add);
    }
    if (!masked.isEmpty()) {
      masked.forEach(o.putArray("masked")::add);
    }
    o.put("input_digest", decision.inputDigest());
    tenantId.ifPresent(t -> o.put("tenant_id", t));
    return o;
  }
}
