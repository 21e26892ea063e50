package io.maestro.server.governance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.engine.run.RunQueries;
import io.maestro.governance.slo.BurnRate;
import io.maestro.governance.slo.Slo;
import io.maestro.governance.slo.SloRules;
import io.maestro.governance.slo.SloSet;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/slos}: each SLO of the server's SLO file, evaluated for the caller's tenant from
 * the engine's own data — the SLI over the SLO's window, the error budget left, the burn rate over
 * each alert window and which multi-window alerts fire now. SLIs outside the engine's data (policy
 * decision latency) are evaluated by the Prometheus rules {@code maestro slo rules} generates and
 * say so.
 */
public final class SloService implements ApiService {
  private final SloSet slos;
  private final RunQueries runs;
  private final Clock clock;

  public SloService(SloSet slos, RunQueries runs, Clock clock) {
    this.slos = slos;
    this.runs = runs;
    this.clock = clock;
  }

  @Override
  public List<Route> routes() {
    return List.of(Route.get("/api/slos", "slo.read", this::list));
  }

  private void list(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    HttpJson.ok(res, report(tenant, clock.instant(), false));
  }

  /**
   * The report {@code GET /api/slos} answers, evaluated as of {@code at} over the runs finished
   * before it only: the same instant gives the same report later (a compliance pack's).
   */
  public ObjectNode reportAsOf(TenantId tenant, Instant at) {
    return report(tenant, at, true);
  }

  private ObjectNode report(TenantId tenant, Instant now, boolean asOf) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("edition", slos.edition());
    out.put("evaluatedAt", now.toString());
    ArrayNode items = out.putArray("items");
    for (Slo slo : slos.slos()) {
      items.add(evaluate(tenant, slo, now, asOf));
    }
    return out;
  }

  private ObjectNode evaluate(TenantId tenant, Slo slo, Instant now, boolean asOf) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("name", slo.name());
    o.put("description", slo.description());
    o.put("sli", slo.sli().wire());
    o.put("objectivePercent", slo.objectivePercent());
    o.put("window", slo.window().toString());
    slo.threshold().ifPresent(t -> o.put("thresholdSeconds", t.toNanos() / 1e9));
    if (!slo.sli().fromEngineData()) {
      o.put("evaluatedBy", "prometheus");
      return o;
    }
    o.put("evaluatedBy", "server");
    SloEvaluation e =
        asOf
            ? SloEvaluation.asOf(runs, tenant, slo, now)
            : SloEvaluation.of(runs, tenant, slo, now);
    o.put("events", e.events());
    o.put("badEvents", e.badEvents());
    o.put(
        "sliPercent",
        e.events() == 0
            ? BigDecimal.valueOf(100)
            : BigDecimal.valueOf((e.events() - e.badEvents()) * 100)
                .divide(BigDecimal.valueOf(e.events()), 3, RoundingMode.HALF_UP));
    o.put("errorBudgetRemainingPercent", round(e.budgetRemaining() * 100));
    ObjectNode burn = o.putObject("burnRates");
    for (BurnRate rule : BurnRate.STANDARD) {
      burn.put(SloRules.label(rule.longWindow()), round(e.burnRates().get(rule.longWindow())));
      burn.put(SloRules.label(rule.shortWindow()), round(e.burnRates().get(rule.shortWindow())));
    }
    ArrayNode alerts = o.putArray("alerts");
    for (SloEvaluation.Alert alert : e.alerts()) {
      BurnRate rule = alert.rule();
      ObjectNode a = alerts.addObject();
      a.put("severity", rule.severity());
      a.put("factor", rule.factor());
      a.put(
          "windows", SloRules.label(rule.longWindow()) + "/" + SloRules.label(rule.shortWindow()));
      a.put("firing", alert.firing());
    }
    return o;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
