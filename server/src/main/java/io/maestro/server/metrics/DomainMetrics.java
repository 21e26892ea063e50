package io.maestro.server.metrics;

import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.engine.EngineReceipts;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.run.RunQueries;
import io.maestro.policy.DecisionLog;
import io.maestro.policy.DecisionLogEntry;
import io.maestro.provenance.Checkpointer;
import io.maestro.provenance.Provenance;
import io.maestro.server.metering.CostObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Workflow, queue, policy and checkpoint series on {@code /metrics} (documented in {@code
 * docs/metrics.md}). Policy series are recorded as decisions are made; run, queue and redelivery
 * series are read from the engine's API when scraped, so they count the whole cluster's runs and
 * survive restarts. Tenant labels are bounded ({@link TenantLabels}).
 */
public final class DomainMetrics {
  /** The statuses {@code mc_runs_total} always reports, zero until a run reaches them. */
  static final List<String> RUN_STATUSES =
      List.of("PENDING", "RUNNING", "PAUSED", "SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

  private final MeterRegistry registry;
  private final TenantLabels tenants;
  private final DistributionSummary policyEval;
  private final Map<String, Counter> denies = new ConcurrentHashMap<>();
  private final Map<String, Timer> stepDurations = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<Double>> estimates = new ConcurrentHashMap<>();
  private final DistributionSummary drift;

  /** Micrometer holds a function meter's object weakly: this keeps the run counts alive. */
  private volatile RunCounts runCounts;

  public DomainMetrics(MeterRegistry registry, int maxTenantLabels) {
    this.registry = registry;
    this.tenants = new TenantLabels(maxTenantLabels);
    this.policyEval =
        DistributionSummary.builder("mc.policy.eval.ms")
            .description("Time to evaluate one policy decision, in milliseconds")
            .serviceLevelObjectives(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250)
            .register(registry);
    this.drift =
        DistributionSummary.builder("mc.cost.estimate.drift")
            .baseUnit("ratio")
            .description(
                "How far each admitted run's actual cost was from its estimate:"
                    + " |actual - estimate| / estimate")
            .serviceLevelObjectives(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2)
            .register(registry);
  }

  /**
   * Hears run cost estimates and settlements: {@code mc_cost_estimate_usd{tenant}} (the last
   * admitted run's estimate) and {@code mc_cost_estimate_drift_ratio} (a histogram).
   */
  public CostObserver costObserver() {
    return new CostObserver() {
      @Override
      public void estimated(TenantId tenant, BigDecimal estimateUsd) {
        String label = tenants.label(Optional.of(tenant.value()));
        estimates
            .computeIfAbsent(
                label,
                l -> {
                  var holder = new AtomicReference<>(0.0);
                  Gauge.builder("mc.cost.estimate.usd", holder, AtomicReference::get)
                      .description("The estimated cost of the tenant's last admitted run, in USD")
                      .tag("tenant", l)
                      .register(registry);
                  return holder;
                })
            .set(estimateUsd.doubleValue());
      }

      @Override
      public void settled(TenantId tenant, BigDecimal estimateUsd, BigDecimal actualUsd) {
        if (estimateUsd.signum() > 0) {
          drift.record(
              actualUsd
                  .subtract(estimateUsd)
                  .abs()
                  .divide(estimateUsd, MathContext.DECIMAL64)
                  .doubleValue());
        }
      }
    };
  }

  /** Hears every decision the decision point makes: its evaluation time, and denials by reason. */
  public DecisionLog policyObserver() {
    return this::decided;
  }

  void decided(DecisionLogEntry entry) {
    policyEval.record(entry.evaluation().toNanos() / 1_000_000.0);
    Decision d = entry.decision();
    if (d.allow()) {
      return;
    }
    String tenant = tenants.label(entry.tenantId());
    List<String> reasons =
        d.reasons().isEmpty()
            ? List.of("unspecified")
            : d.reasons().stream().map(Decision.Reason::code).toList();
    for (String reason : reasons) {
      denies
          .computeIfAbsent(
              tenant + '\u0000' + reason,
              k ->
                  Counter.builder("mc.tenant.denies")
                      .description("Actions denied by policy, by tenant and reason code")
                      .tag("tenant", tenant)
                      .tag("reason", reason)
                      .register(registry))
          .increment();
    }
  }

  /** Runs by status, queue depth and lease redeliveries, read from the engine when scraped. */
  public void bindEngine(RunQueries runs, WorkQueue queue) {
    RunCounts counts = new RunCounts(runs);
    this.runCounts = counts;
    for (String status : RUN_STATUSES) {
      FunctionCounter.builder("mc.runs", counts, c -> c.get(status))
          .description("Runs that are in this status now, across the cluster")
          .tag("status", status)
          .register(registry);
    }
    Gauge.builder("mc.queue.depth", queue, q -> q.size())
        .description("Step attempts, resumptions and timers waiting in the durable queue")
        .register(registry);
    FunctionCounter.builder("mc.lease.redeliveries", runs, r -> r.redeliveries())
        .description("Step attempts delivered again after their lease expired")
        .register(registry);
  }

  /** Receipts this server appended to the tenants' and the platform's logs. */
  public void bindReceipts(Provenance provenance) {
    FunctionCounter.builder("mc.receipts.appended", provenance, Provenance::receiptsAppended)
        .description("Receipts this server appended to the receipt logs (placed, committed)")
        .register(registry);
  }

  /**
   * The engine's receipt sink, observed: once a transaction commits, each step attempt it ended (a
   * step receipt carrying {@code durationMs}) is recorded in {@code mc_step_duration_seconds} by
   * how it ended (the receipt type, e.g. {@code step.completed}, {@code step.retried}).
   */
  public EngineReceipts observeSteps(EngineReceipts inner) {
    return new EngineReceipts() {
      @Override
      public void emitAll(io.maestro.store.Tx tx, List<EngineReceipts.Receipt> receipts) {
        inner.emitAll(tx, receipts);
        observe(tx, receipts);
      }

      @Override
      public void emitAll(
          io.maestro.store.Tx tx,
          List<EngineReceipts.Receipt> receipts,
          List<EngineReceipts.Stored> stored) {
        inner.emitAll(tx, receipts, stored);
        observe(tx, receipts);
      }

      @Override
      public void stored(
          io.maestro.store.Tx tx,
          io.maestro.core.TenantId tenant,
          String runId,
          String key,
          long bytes) {
        inner.stored(tx, tenant, runId, key, bytes);
      }
    };
  }

  private void observe(io.maestro.store.Tx tx, List<EngineReceipts.Receipt> receipts) {
    List<EngineReceipts.Receipt> ended =
        receipts.stream()
            .filter(r -> "step".equals(r.subjectKind()))
            .filter(r -> r.payload().path("durationMs").canConvertToLong())
            .toList();
    if (!ended.isEmpty()) {
      tx.afterCommit(
          () -> {
            for (EngineReceipts.Receipt r : ended) {
              stepDuration(r.type().catalogueName())
                  .record(Duration.ofMillis(r.payload().path("durationMs").asLong()));
            }
          });
    }
  }

  private Timer stepDuration(String outcome) {
    return stepDurations.computeIfAbsent(
        outcome,
        o ->
            Timer.builder("mc.step.duration")
                .description("Time one step attempt ran, by how the attempt ended")
                .tag("outcome", o)
                .serviceLevelObjectives(
                    Duration.ofMillis(10),
                    Duration.ofMillis(50),
                    Duration.ofMillis(100),
                    Duration.ofMillis(250),
                    Duration.ofMillis(500),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(5))
                .register(registry));
  }

  /** Seconds since this server's checkpointer last completed a pass (NaN before the first). */
  public void bindCheckpointer(Checkpointer checkpointer, Clock clock) {
    Gauge.builder(
            "mc.checkpoint.lag.seconds",
            checkpointer,
            c ->
                c.status()
                    .lastRun()
                    .map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0)
                    .orElse(Double.NaN))
        .description("Seconds since the checkpointer last signed (or found nothing to sign)")
        .register(registry);
  }

  /** One query for all statuses per scrape, not one per status. */
  private static final class RunCounts {
    private final RunQueries runs;
    private volatile Map<String, Long> last = Map.of();
    private volatile long at;

    RunCounts(RunQueries runs) {
      this.runs = runs;
    }

    double get(String status) {
      long now = System.nanoTime();
      if (now - at > 500_000_000L) {
        last = runs.countByStatus();
        at = now;
      }
      return last.getOrDefault(status, 0L);
    }
  }
}
