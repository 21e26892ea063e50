package io.maestro.console.governance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the governance page draws. A section the role may not read is absent ({@code null}); the
 * write controls are drawn for the actions in {@code allowed} only.
 *
 * @param switches the active kill switches, each with the receipt of its pull in {@code receipts}
 * @param receipts kill switch id → the id of its {@code kill_switch.pulled} receipt
 * @param ramps the ramp rules
 * @param rampHistory the latest ramp changes, each naming its receipt and decision
 * @param freezes the freeze windows
 * @param grants the break-glass grants
 * @param workflows the tenant's workflow names (the forms' choices)
 * @param allowed the write actions the page draws controls for
 * @param subject who is signed in (a break-glass grant is approved by someone else)
 */
public record GovernanceView(
    List<JsonNode> switches,
    Map<String, String> receipts,
    List<JsonNode> ramps,
    List<JsonNode> rampHistory,
    List<JsonNode> freezes,
    List<JsonNode> grants,
    List<String> workflows,
    Set<String> allowed,
    String subject) {

  public boolean may(String action) {
    return allowed.contains(action);
  }

  public String receiptOf(JsonNode killSwitch) {
    return receipts.getOrDefault(killSwitch.path("id").asText(), "");
  }

  /** A JSON list's text values joined, e.g. a grant's actions. */
  public static String list(JsonNode array) {
    StringBuilder b = new StringBuilder();
    for (JsonNode v : array) {
      b.append(b.isEmpty() ? "" : ", ").append(v.asText());
    }
    return b.toString();
  }

  /** A ramp change's diff as one part per changed field: {@code percent: 10 → 50}. */
  public static String diff(JsonNode change) {
    JsonNode d = change.path("diff");
    if (!d.isObject()) {
      return d.isTextual() ? d.asText() : d.toString();
    }
    StringBuilder b = new StringBuilder();
    d.properties()
        .forEach(
            e ->
                b.append(b.isEmpty() ? "" : "; ")
                    .append(e.getKey())
                    .append(": ")
                    .append(e.getValue().path("from").isNull() ? "—" : e.getValue().path("from"))
                    .append(" → ")
                    .append(e.getValue().path("to")));
    return b.toString();
  }
}
