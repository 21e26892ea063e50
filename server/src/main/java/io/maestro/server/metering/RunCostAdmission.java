package io.maestro.server.metering;

import io.helidon.webserver.http.ServerRequest;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.metering.CostEstimate;
import io.maestro.metering.Metering;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.PolicyInput;
import io.maestro.server.auth.Denials;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyGate;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits a run with its cost estimate. The gate decided {@code workflow.run} before the body named
 * the workflow; once it does, the run is estimated and the policy is asked again on the gate's
 * input with {@code plan.estimatedCostUSD} (the tenant's budget and spend are already in it), so a
 * budget refusal is a policy decision like any other: logged, receipted as {@code policy.denied}
 * and answered with the same decision id. The allowing decision is the run's admission.
 *
 * <p>Until the run's creating transaction has run, its estimate waits here under the decision id;
 * {@link MeteredReceipts} stores it with the run's {@code run.started} event in that transaction.
 * Thread-safe.
 */
public final class RunCostAdmission {
  private final Database db;
  private final Metering metering;
  private final DecisionPoint pdp;
  private final Denials denials;
  private final PolicyGate gate;
  private final CostObserver observer;
  private final Map<String, Admitted> pending = new ConcurrentHashMap<>();

  public RunCostAdmission(
      Database db,
      Metering metering,
      DecisionPoint pdp,
      Denials denials,
      PolicyGate gate,
      CostObserver observer) {
    this.db = db;
    this.metering = metering;
    this.pdp = pdp;
    this.denials = denials;
    this.gate = gate;
    this.observer = observer;
  }

  /** A run admitted with its estimate; the decision is the one to start it with. */
  public record Admitted(TenantId tenant, Decision decision, CostEstimate estimate) {}

  /**
   * Estimates a run of {@code manifest} and decides its start with the estimate.
   *
   * @throws io.maestro.core.problem.MaestroException the refusal ({@code budget_exceeded} or
   *     another policy code), already logged and receipted
   */
  public Admitted admit(
      Optional<ServerRequest> req,
      Governed g,
      WorkflowRegistry registry,
      String workflow,
      Optional<String> version) {
    TenantId tenant = g.requireTenant();
    Manifest manifest =
        db.inTransaction(
                TenantScope.of(tenant), tx -> registry.resolve(tx, tenant, workflow, version))
            .manifest();
    CostEstimate estimate =
        db.inTransaction(
            TenantScope.of(tenant),
            tx -> metering.estimator().estimate(tx, tenant, Planner.plan(manifest)));
    PolicyInput input = g.input().withPlan(planInput(estimate));
    Decision d = pdp.decide(input);
    if (!d.allow()) {
      denials.record(
          g.actor(),
          "workflow.run",
          "POST",
          "/api/runs",
          "workflow",
          manifest.name(),
          g.tenant().map(TenantId::value),
          d);
      throw PolicyGate.refusal(
          d, req.flatMap(r -> gate.explanation(r, g.actor(), g.tenant(), input, d)));
    }
    Admitted a = new Admitted(tenant, d, estimate);
    pending.put(d.id(), a);
    observer.estimated(tenant, estimate.estimatedUsd());
    return a;
  }

  /** The admission of the decision a run is being created under, until {@link #done}. */
  public Optional<Admitted> pending(String decisionId) {
    return Optional.ofNullable(pending.get(decisionId));
  }

  /** Forgets an admission once its run was created (or was not). */
  public void done(Admitted a) {
    pending.remove(a.decision().id());
  }

  /** The policy input's {@code plan}: the estimate and its basis. */
  public static Map<String, Object> planInput(CostEstimate e) {
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("estimatedCostUSD", TenantBudgets.plain(e.estimatedUsd()));
    plan.put("basis", e.basis());
    plan.put("workflow", e.workflow());
    plan.put("version", e.version());
    return plan;
  }
}
