package io.maestro.server.chaos;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;

/**
 * What a drill observed: one row per check (what was expected, what was seen, whether they agree)
 * and the measurements. A drill passes when every check does.
 */
final class Findings {
  private final ObjectNode report;
  private final ArrayNode checks;

  Findings(ObjectNode report) {
    this.report = report;
    this.checks = report.putArray("checks");
  }

  /** Records one check; returns {@code ok} so a drill can stop on what it depends on. */
  boolean check(String name, String expected, String observed, boolean ok) {
    checks
        .addObject()
        .put("check", name)
        .put("expected", expected)
        .put("observed", observed)
        .put("ok", ok);
    return ok;
  }

  void measure(String name, double seconds) {
    report.with("measurements").put(name, Math.round(seconds * 1000) / 1000.0);
  }

  ObjectNode report() {
    return report;
  }

  boolean passed() {
    for (var c : checks) {
      if (!c.path("ok").asBoolean()) {
        return false;
      }
    }
    return !checks.isEmpty();
  }

  static ObjectNode object() {
    return Json.MAPPER.createObjectNode();
  }
}
