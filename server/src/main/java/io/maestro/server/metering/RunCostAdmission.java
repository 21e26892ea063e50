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
import io.maestro.server.auth.PolicyRecheck;
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
import java.util.function.Predicate;

/**
 * Admits a run with its cost estimate, as a reservation (ADR 0030). The gate decided {@code
 * workflow.run} before the body named the workflow; once it does, the run is estimated, and then,
 * in the run's creating transaction, the tenant's spend counters of the day and month are locked,
 * the policy is asked once on the gate's input with the workflow's facts (ADR 0059), {@code
 * plan.estimatedCostUSD} and the budget as it stands under the lock ({@code tenant.budget.spentUSD}
 * and {@code reservedUSD}, what runs in progress hold), and an allowed run is created and its
 * estimate reserved before the lock is released. Concurrent starts of one tenant therefore decide
 * one after the other, each on what the ones before reserved, and cannot together overshoot a cap;
 * those that arrive together are decided and created in one transaction ({@link AdmissionBatches}).
 * A refusal ({@code budget_exceeded}, a kill switch, a ramp) is a policy decision like any other:
 * logged, receipted as {@code policy.denied} and answered with the same decision id. The allowing
 * decision is the run's admission.
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

  /**
   * A start's decision with its estimate, and the run when it was created under the budget lock.
   */
  public record Decided<T>(Admitted admitted, Optional<T> run) {}

  /**
   * Decides a start of {@code workflow} on {@code input} (the gate's, with the workflow's facts):
   * estimates the version, then asks the policy once with {@code plan.estimatedCostUSD} and {@code
   * tenant.budget} as it stands. That decision is the start's admission, and {@code recheck} hears
   * it (the request's answer is recorded beside it).
   *
   * <p>With {@code create}, the decision is made under the tenant's budget lock and an allowed run
   * is created there with it (batched, {@link AdmissionBatches}), its estimate reserved before the
   * lock is released. Without, the server creates the run later in a transaction of its own (a
   * schedule's tick, a webhook trigger): the decision is made on the spend and reservations as they
   * stand, without the lock, and the admission waits here under its decision id until {@link
   * #done}; system starts of one tenant decided at the same instant can therefore together
   * overshoot a cap by their estimates.
   *
   * @param elsewhere whether an allowed decision sends the start elsewhere (a canary routed to its
   *     stable version): then no run is created and nothing is held
   * @param create creates the run in the given transaction under the given decision
   * @throws io.maestro.core.problem.MaestroException the refusal ({@code budget_exceeded} or
   *     another policy code), already logged and receipted
   */
  public <T> Decided<T> decide(
      PolicyRecheck recheck,
      Optional<ServerRequest> req,
      Governed g,
      PublishedWorkflow workflow,
      PolicyInput input,
      Predicate<Decision> elsewhere,
      Optional<BiFunction<Tx, Decision, T>> create) {
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
    Outcome<T> o;
    if (create.isPresent()) {
      o =
          batches.admit(
              tenant,
              (tx, locked) -> {
                PolicyInput in = withLockedBudget(input, locked).withPlan(planInput(estimate));
                Decision d = pdp.decide(in);
                if (!d.allow() || elsewhere.test(d)) {
                  return new Outcome<T>(in, d, null);
                }
                pending.put(d.id(), new Admitted(tenant, d, estimate));
                try {
                  return new Outcome<>(in, d, create.get().apply(tx, d));
                } finally {
                  pending.remove(d.id());
                }
              });
    } else {
      Spend spend =
          db.inTransaction(
              TenantScope.of(tenant), tx -> metering.spend(tx, tenant, clock.instant()));
      PolicyInput in = withLockedBudget(input, spend).withPlan(planInput(estimate));
      o = new Outcome<>(in, pdp.decide(in), null);
    }
    Decision d = o.decision();
    recheck.alsoDecided(d);
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
    Admitted a = new Admitted(tenant, d, estimate);
    if (elsewhere.test(d)) {
      return new Decided<>(a, Optional.empty());
    }
    if (create.isEmpty()) {
      pending.put(d.id(), a);
    }
    observer.estimated(tenant, estimate.estimatedUsd());
    return new Decided<>(a, Optional.ofNullable(o.run()));
  }

  /**
   * Forgets an admission {@link #decide} held without creating its run, once the run was created
   * (or was not).
   */
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
