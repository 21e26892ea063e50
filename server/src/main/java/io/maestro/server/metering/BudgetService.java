package io.maestro.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.metering.Budget;
import io.maestro.metering.CostEstimate;
import io.maestro.metering.Metering;
import io.maestro.metering.MeteringErrors;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.Receipts;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.store.Database;
import io.maestro.tenancy.TenancyErrors;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantDirectory;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cost estimates and budgets over HTTP: {@code POST /api/plan} estimates a run of a manifest or of
 * a published workflow version; {@code GET|PUT /api/tenants/{id}/budget} read and set the tenant's
 * own daily and monthly caps (they tighten, never loosen, the platform's daily cap). Every handler
 * runs behind the policy gate in the tenant scope it established.
 */
public final class BudgetService implements ApiService {
  /** The receipt of a budget change. */
  public static final ReceiptType BUDGET_SET = ReceiptType.of("budget.set");

  private static final Set<String> BUDGET_FIELDS = Set.of("dailyMaxUSD", "monthlyMaxUSD");
  private static final Set<String> PLAN_FIELDS =
      Set.of("manifest", "workflow", "version", "inputs");

  private final Database db;
  private final Metering metering;
  private final TenantBudgets budgets;
  private final TenantDirectory directory;
  private final WorkflowRegistry registry;
  private final Receipts receipts;
  private final Clock clock;

  public BudgetService(
      Database db,
      Metering metering,
      TenantBudgets budgets,
      TenantDirectory directory,
      WorkflowRegistry registry,
      Receipts receipts,
      Clock clock) {
    this.db = db;
    this.metering = metering;
    this.budgets = budgets;
    this.directory = directory;
    this.registry = registry;
    this.receipts = receipts;
    this.clock = clock;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post("/api/plan", "plan.estimate", this::plan),
        Route.get("/api/tenants/{id}/budget", "budget.read", this::getBudget),
        Route.put("/api/tenants/{id}/budget", "budget.set", this::putBudget));
  }

  private Tenant tenant(Governed g) {
    TenantId id = g.requireTenant();
    return directory
        .tenant(id)
        .orElseThrow(() -> MaestroException.of(TenancyErrors.TENANT_NOT_FOUND, "no tenant " + id));
  }

  /**
   * The estimate of one run: {@code estimatedCostUSD}, {@code basis}, {@code breakdown[]} (one line
   * for the run's overhead, one per step, each with its basis and rationale) and the tenant's
   * {@code budget} with what remains.
   */
  private void plan(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    body.fieldNames()
        .forEachRemaining(
            f -> {
              if (!PLAN_FIELDS.contains(f)) {
                throw invalidPlan(
                    "unknown field '" + f + "'; send manifest, or workflow and version");
              }
            });
    JsonNode manifest = body.path("manifest");
    JsonNode workflow = body.path("workflow");
    JsonNode inputs = body.path("inputs");
    if (!inputs.isMissingNode() && !inputs.isNull() && !inputs.isObject()) {
      throw invalidPlan("inputs must be an object");
    }
    boolean hasManifest = !manifest.isMissingNode() && !manifest.isNull();
    boolean hasWorkflow = !workflow.isMissingNode() && !workflow.isNull();
    if (hasManifest == hasWorkflow) {
      throw invalidPlan("send either manifest (the manifest text) or workflow (and version)");
    }
    TenantId tenant = g.requireTenant();
    Manifest m;
    if (hasManifest) {
      if (!manifest.isTextual() || manifest.asText().isBlank()) {
        throw invalidPlan("manifest must be the manifest's text (YAML or JSON)");
      }
      m = registry.validate(manifest.asText());
    } else {
      if (!workflow.isTextual() || workflow.asText().isBlank()) {
        throw invalidPlan("workflow must be a workflow name");
      }
      JsonNode v = body.path("version");
      if (!v.isMissingNode() && !v.isNull() && !v.isTextual()) {
        throw invalidPlan("version must be a string");
      }
      Optional<String> version = v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
      m =
          db.inTransaction(
                  g.scope(), tx -> registry.resolve(tx, tenant, workflow.asText(), version))
              .manifest();
    }
    CostEstimate e =
        db.inTransaction(
            g.scope(), tx -> metering.estimator().estimate(tx, tenant, Planner.plan(m)));
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    out.put("estimatedCostUSD", TenantBudgets.plain(e.estimatedUsd()));
    out.put("currency", "USD");
    out.put("basis", e.basis());
    out.put("workflow", e.workflow());
    out.put("version", e.version());
    out.put("priceBook", e.priceBook());
    ArrayNode lines = out.putArray("breakdown");
    for (CostEstimate.Line l : e.breakdown()) {
      ObjectNode line = lines.addObject();
      if (l.step().isPresent()) {
        line.put("step", l.step().get());
      } else {
        line.putNull("step");
      }
      line.put("task", l.task());
      line.put("basis", l.basis());
      line.put("durationMs", l.durationMs());
      line.put("samples", l.samples());
      line.put("costUSD", TenantBudgets.plain(l.costUsd()));
      line.put("rationale", l.rationale());
    }
    out.set("budget", budgets.view(tenant(g)).json());
    HttpJson.ok(res, out);
  }

  private void getBudget(ServerRequest req, ServerResponse res) {
    HttpJson.ok(res, budgets.view(tenant(Governed.of(req))).json());
  }

  /**
   * Sets the tenant's caps: {@code {"dailyMaxUSD": 5, "monthlyMaxUSD": 100}}; a cap that is null or
   * absent is not set (the daily cap is then the platform's). The change and its {@code budget.set}
   * receipt commit together.
   */
  private void putBudget(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    body.fieldNames()
        .forEachRemaining(
            f -> {
              if (!BUDGET_FIELDS.contains(f)) {
                throw invalidBudget(
                    "unknown field '" + f + "'; send dailyMaxUSD and monthlyMaxUSD");
              }
            });
    Budget budget = Budget.of(amount(body, "dailyMaxUSD"), amount(body, "monthlyMaxUSD"));
    Tenant tenant = tenant(g);
    db.inTransaction(
        g.scope(),
        tx -> {
          metering.setBudget(tx, tenant.id(), budget, g.actor().subject(), clock.instant());
          ObjectNode payload = HttpJson.MAPPER.createObjectNode();
          payload.set(
              "dailyMaxUSD", body.path("dailyMaxUSD").isNumber() ? body.get("dailyMaxUSD") : null);
          payload.set(
              "monthlyMaxUSD",
              body.path("monthlyMaxUSD").isNumber() ? body.get("monthlyMaxUSD") : null);
          return receipts.append(
              tx,
              ReceiptDraft.of(
                      LogId.tenant(tenant.id()),
                      BUDGET_SET,
                      g.actor(),
                      "budget.set",
                      ReceiptDraft.Subject.of("tenant", tenant.id().value()))
                  .withDecision(g.decision())
                  .withPayload(payload));
        });
    HttpJson.ok(res, budgets.view(tenant).json());
  }

  private static Optional<BigDecimal> amount(JsonNode body, String field) {
    JsonNode v = body.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isNumber()) {
      throw invalidBudget(field + " must be a number of USD, e.g. 5 or 0.25");
    }
    return Optional.of(v.decimalValue());
  }

  private static MaestroException invalidBudget(String detail) {
    return MaestroException.of(MeteringErrors.BAD_BUDGET, detail);
  }

  private static MaestroException invalidPlan(String detail) {
    return MaestroException.of(MeteringErrors.BAD_PLAN, detail);
  }
}
