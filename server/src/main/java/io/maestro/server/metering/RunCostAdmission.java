package io.maestro.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.registry.PublishedWorkflow;
import io.maestro.metering.CostEstimate;
import io.maestro.metering.Metering;
import io.maestro.metering.Spend;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.PolicyInput;
import io.maestro.server.auth.Denials;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyGate;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Admits a run with its cost estimate, as a reservation (ADR 0030). The gate decided {@code
 * workflow.run} before the body named the workflow; once it does, the run is estimated, and then,
 * in the run's creating transaction, the tenant's spend counters of the day and month are locked,
 * the policy is asked again on the gate's input with {@code plan.estimatedCostUSD} and the budget
 * as it stands under the lock ({@code tenant.budget.spentUSD} and {@code reservedUSD}, what runs in
 * progress hold), and an allowed run is created and its estimate reserved before the lock is
 * released. Concurrent starts of one tenant therefore decide one after the other, each on what the
 * ones before reserved, and cannot together overshoot a cap; those that arrive together are decided
 * and created in one transaction ({@link AdmissionBatches}). A budget refusal stays a policy
 * decision like any other: logged, receipted as {@code policy.denied} and answered with the same
 * decision id. The allowing decision is the run's admission.
 *
 * <p>While the run's creating transaction runs, its admission waits here under the decision id;
 * {@link io.maestro.server.engine.MeteredReceipts} stores the estimate and the reservation with the
 * run's {@code run.started} event in that transaction. Thread-safe.
 */
public final class RunCostAdmission {
  private final Database db;
  private final Metering metering;
  private final DecisionPoint pdp;
  private final Denials denials;
  private final PolicyGate gate;
  private final CostObserver observer;
  private final Clock clock;
  private final Map<String, Admitted> pending = new ConcurrentHashMap<>();
  private final AdmissionBatches batches;
  private final EstimatesInFlight recent;

  public RunCostAdmission(
      Database db,
      Metering metering,
      DecisionPoint pdp,
      Denials denials,
      PolicyGate gate,
      CostObserver observer,
      Clock clock) {
    this.db = db;
    this.metering = metering;
    this.pdp = pdp;
    this.denials = denials;
    this.gate = gate;
    this.observer = observer;
    this.clock = clock;
    this.batches = new AdmissionBatches(db, metering, clock);
    this.recent = new EstimatesInFlight();
  }

  /** A run admitted with its estimate; the decision is the one to start it with. */
  public record Admitted(TenantId tenant, Decision decision, CostEstimate estimate) {}

  /** A started run and the admission it was started under. */
  public record Started<T>(T run, Admitted admitted) {}

  /**
   * Creates a run in the caller's stead: estimates it, then in one transaction locks the tenant's
   * budget, decides on it and, when allowed, runs {@code create} with the decision.
   *
   * @param create creates the run in the given transaction under the given decision
   * @throws io.maestro.core.problem.MaestroException the refusal ({@code budget_exceeded} or
   *     another policy code), already logged and receipted
   */
  public <T> Started<T> start(
      Optional<ServerRequest> req,
      Governed g,
      PublishedWorkflow workflow,
      BiFunction<Tx, Decision, T> create) {
    TenantId tenant = g.requireTenant();
    Manifest manifest = workflow.manifest();
    // The estimate is read before the budget lock is taken, so the lock is held only for the
    // decision and the run's creation; starts asking at the same moment share one.
    CostEstimate estimate =
        recent.estimate(
            tenant,
            workflow,
            () ->
                db.inTransaction(
                    TenantScope.of(tenant),
                    tx -> metering.estimator().estimate(tx, tenant, Planner.plan(manifest))));
    record Outcome<T>(PolicyInput input, Decision decision, T run) {}
    Outcome<T> o =
        batches.admit(
            tenant,
            (tx, locked) -> {
              PolicyInput input = withLockedBudget(g.input(), locked).withPlan(planInput(estimate));
              Decision d = pdp.decide(input);
              if (!d.allow()) {
                return new Outcome<T>(input, d, null);
              }
              Admitted a = new Admitted(tenant, d, estimate);
              pending.put(d.id(), a);
              try {
                return new Outcome<>(input, d, create.apply(tx, d));
              } finally {
                pending.remove(d.id());
              }
            });
    Decision d = o.decision();
    // The request's answer is recorded beside this decision too: it is the run's admission.
    req.flatMap(r -> r.context().get(io.maestro.server.auth.PolicyRecheck.class))
        .ifPresent(r -> r.alsoDecided(d));
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
          d, req.flatMap(r -> gate.explanation(r, g.actor(), g.tenant(), o.input(), d)));
    }
    observer.estimated(tenant, estimate.estimatedUsd());
    return new Started<>(o.run(), new Admitted(tenant, d, estimate));
  }

  /**
   * Admits a run the server creates later in a transaction of its own (a schedule's tick, a webhook
   * trigger): estimates it and decides on the tenant's spend and reservations as they stand,
   * without holding the budget lock. The run reserves its estimate when it is created (the
   * admission waits here under its decision id until {@link #done}); system starts of one tenant
   * decided at the same instant can therefore together overshoot a cap by their estimates, unlike
   * {@link #start}.
   *
   * @throws io.maestro.core.problem.MaestroException the refusal, already logged and receipted
   */
  public Admitted admit(Optional<ServerRequest> req, Governed g, PublishedWorkflow workflow) {
    TenantId tenant = g.requireTenant();
    record Read(Manifest manifest, CostEstimate estimate, Spend spend) {}
    Manifest m = workflow.manifest();
    Read read =
        db.inTransaction(
            TenantScope.of(tenant),
            tx ->
                new Read(
                    m,
                    metering.estimator().estimate(tx, tenant, Planner.plan(m)),
                    metering.spend(tx, tenant, clock.instant())));
    PolicyInput input =
        withLockedBudget(g.input(), read.spend()).withPlan(planInput(read.estimate()));
    Decision d = pdp.decide(input);
    if (!d.allow()) {
      denials.record(
          g.actor(),
          "workflow.run",
          "POST",
          "/api/runs",
          "workflow",
          read.manifest().name(),
          g.tenant().map(TenantId::value),
          d);
      throw PolicyGate.refusal(
          d, req.flatMap(r -> gate.explanation(r, g.actor(), g.tenant(), input, d)));
    }
    Admitted a = new Admitted(tenant, d, read.estimate());
    pending.put(d.id(), a);
    observer.estimated(tenant, read.estimate().estimatedUsd());
    return a;
  }

  /** Forgets an {@link #admit} admission once its run was created (or was not). */
  public void done(Admitted a) {
    pending.remove(a.decision().id());
  }

  /**
   * The gate's input with {@code tenant.budget} holding the gate's caps and the spend and
   * reservations read under the lock. The caps are the gate's: administrators set them, not the
   * runs being admitted. An input without a budget (no tenant record) is left as it is.
   */
  static PolicyInput withLockedBudget(PolicyInput gateInput, Spend locked) {
    JsonNode b = gateInput.json().path("tenant").path("budget");
    if (!b.path("dailyMaxUSD").isNumber()) {
      return gateInput;
    }
    Optional<BigDecimal> monthly =
        b.path("monthlyMaxUSD").isNumber()
            ? Optional.of(b.path("monthlyMaxUSD").decimalValue())
            : Optional.empty();
    return gateInput.withTenantBudget(
        TenantBudgets.input(b.path("dailyMaxUSD").decimalValue(), monthly, locked));
  }

  /** The admission of the decision a run is being created under, while its transaction runs. */
  public Optional<Admitted> pending(String decisionId) {
    return Optional.ofNullable(pending.get(decisionId));
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
