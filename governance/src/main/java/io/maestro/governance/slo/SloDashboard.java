package io.maestro.governance.slo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;
import java.time.Duration;
import java.util.Locale;

/**
 * A Grafana dashboard (JSON model, schema 39) for an SLO file: per SLO, its SLI and the error
 * budget left, and its burn rate over every alert window with the alert factors as thresholds. SLOs
 * the server evaluates read the {@code mc_slo_*} gauges (per tenant, chosen with the {@code tenant}
 * variable); the others read the recording rules of {@link SloRules}, so the dashboard works with
 * exactly the rules {@code maestro slo rules} writes for the same file.
 */
public final class SloDashboard {
  private SloDashboard() {}

  /** The dashboard, pretty-printed. */
  public static String render(SloSet set) {
    ObjectNode d = Json.MAPPER.createObjectNode();
    String edition = set.edition().isEmpty() ? "custom" : set.edition();
    d.put("uid", "maestro-slo-" + edition);
    d.put("title", "Maestro SLOs (" + edition + ")");
    d.putArray("tags").add("maestro").add("slo");
    d.put("schemaVersion", 39);
    d.put("version", 1);
    d.put("editable", false);
    d.putObject("time").put("from", "now-6h").put("to", "now");
    d.put("refresh", "1m");
    ArrayNode vars = d.putObject("templating").putArray("list");
    vars.addObject()
        .put("name", "datasource")
        .put("type", "datasource")
        .put("query", "prometheus")
        .put("label", "Prometheus");
    ObjectNode tenant = vars.addObject();
    tenant.put("name", "tenant").put("type", "query").put("label", "Tenant");
    tenant.putObject("datasource").put("type", "prometheus").put("uid", "${datasource}");
    tenant.put("query", "label_values(mc_slo_sli_ratio, tenant)");
    tenant.put("refresh", 2);
    ArrayNode panels = d.putArray("panels");
    int y = 0;
    for (Slo slo : set.slos()) {
      boolean server = slo.sli().fromEngineData();
      String sel =
          server
              ? "{tenant=\"$tenant\", slo=\"" + slo.name() + "\"}"
              : "{slo=\"" + slo.name() + "\"}";
      ObjectNode sli =
          panel(panels, slo.name() + " — SLI (objective " + objective(slo) + ")", y, 0);
      sli.putObject("fieldConfig").putObject("defaults").put("unit", "percentunit");
      if (server) {
        target(sli, "A", "mc_slo_sli_ratio" + sel, "SLI over " + label(slo.window()));
        target(
            sli,
            "B",
            "mc_slo_error_budget_remaining_ratio" + sel,
            "error budget left over " + label(slo.window()));
      } else {
        target(
            sli,
            "A",
            "1 - maestro_slo:error_ratio:rate"
                + SloRules.label(BurnRate.STANDARD.get(0).longWindow())
                + sel,
            "SLI over " + label(BurnRate.STANDARD.get(0).longWindow()));
      }
      ObjectNode burn = panel(panels, slo.name() + " — burn rate", y, 12);
      ObjectNode defaults = burn.putObject("fieldConfig").putObject("defaults");
      defaults.put("unit", "x");
      ArrayNode steps = defaults.putObject("thresholds").put("mode", "absolute").putArray("steps");
      steps.addObject().put("color", "green").putNull("value");
      for (BurnRate rule : BurnRate.STANDARD) {
        steps
            .addObject()
            .put("color", "page".equals(rule.severity()) ? "red" : "orange")
            .put("value", rule.factor());
      }
      defaults.putObject("custom").putObject("thresholdsStyle").put("mode", "line");
      char ref = 'A';
      for (Duration w : SloRules.windows()) {
        String expr =
            server
                ? "mc_slo_burn_rate{tenant=\"$tenant\", slo=\""
                    + slo.name()
                    + "\", window=\""
                    + label(w)
                    + "\"}"
                : "maestro_slo:error_ratio:rate"
                    + SloRules.label(w)
                    + sel
                    + " / "
                    + String.format(Locale.ROOT, "%.6f", slo.budgetFraction());
        target(burn, String.valueOf(ref++), expr, label(w));
      }
      y += 8;
    }
    try {
      return Json.PRETTY.writeValueAsString(d) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode panel(ArrayNode panels, String title, int y, int x) {
    ObjectNode p = panels.addObject();
    p.put("id", panels.size());
    p.put("type", "timeseries");
    p.put("title", title);
    p.putObject("datasource").put("type", "prometheus").put("uid", "${datasource}");
    p.putObject("gridPos").put("x", x).put("y", y).put("w", 12).put("h", 8);
    return p;
  }

  private static void target(ObjectNode panel, String ref, String expr, String legend) {
    ArrayNode targets =
        panel.has("targets") ? (ArrayNode) panel.get("targets") : panel.putArray("targets");
    targets.addObject().put("refId", ref).put("expr", expr).put("legendFormat", legend);
  }

  private static String objective(Slo slo) {
    return slo.objectivePercent().stripTrailingZeros().toPlainString() + " %";
  }

  private static String label(Duration d) {
    return d.toMinutes() % (60 * 24) == 0 && d.toDays() > 0 ? d.toDays() + "d" : SloRules.label(d);
  }
}
