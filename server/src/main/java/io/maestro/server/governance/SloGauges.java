package io.maestro.server.governance;

import io.maestro.core.TenantId;
import io.maestro.core.background.BackgroundLoop;
import io.maestro.engine.run.RunQueries;
import io.maestro.governance.slo.Slo;
import io.maestro.governance.slo.SloRules;
import io.maestro.governance.slo.SloSet;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The {@code mc_slo_*} series: every {@code interval}, each SLO the engine's data answers is
 * evaluated ({@link SloEvaluation}) for the first {@code maxTenants} tenants and published as
 * gauges {@code mc_slo_sli_ratio{tenant,slo}}, {@code mc_slo_error_budget_remaining_ratio
 * {tenant,slo}} and {@code mc_slo_burn_rate{tenant,slo,window}}. Tenants past the bound get no
 * series (an SLI averaged over "other" tenants would mean nothing); {@code GET /api/slos} answers
 * for every tenant. Thread-safe.
 */
public final class SloGauges implements AutoCloseable {
  private final MeterRegistry registry;
  private final SloSet slos;
  private final RunQueries runs;
  private final Supplier<List<TenantId>> tenants;
  private final int maxTenants;
  private final Clock clock;
  private final Duration interval;
  private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();
  private BackgroundLoop loop;

  public SloGauges(
      MeterRegistry registry,
      SloSet slos,
      RunQueries runs,
      Supplier<List<TenantId>> tenants,
      int maxTenants,
      Clock clock,
      Duration interval) {
    this.registry = registry;
    this.slos = slos;
    this.runs = runs;
    this.tenants = tenants;
    this.maxTenants = maxTenants;
    this.clock = clock;
    this.interval = interval;
  }

  /** Evaluates every SLO for every tenant once and updates the gauges. */
  public void refresh() {
    var now = clock.instant();
    for (TenantId tenant : tenants.get().stream().limit(maxTenants).toList()) {
      for (Slo slo : slos.slos()) {
        if (!slo.sli().fromEngineData()) {
          continue;
        }
        SloEvaluation e = SloEvaluation.of(runs, tenant, slo, now);
        String t = tenant.value();
        set("mc.slo.sli.ratio", "How many events were good over the SLO's window", t, slo, null)
            .set(e.sliRatio());
        set(
                "mc.slo.error.budget.remaining.ratio",
                "The share of the SLO's error budget left over its window",
                t,
                slo,
                null)
            .set(e.budgetRemaining());
        e.burnRates()
            .forEach(
                (window, rate) ->
                    set(
                            "mc.slo.burn.rate",
                            "How many times faster than sustainable the error budget burns",
                            t,
                            slo,
                            SloRules.label(window))
                        .set(rate));
      }
    }
  }

  private AtomicReference<Double> set(
      String name, String description, String tenant, Slo slo, String window) {
    String key = name + "|" + tenant + "|" + slo.name() + "|" + window;
    return values.computeIfAbsent(
        key,
        k -> {
          AtomicReference<Double> holder = new AtomicReference<>(0.0);
          Gauge.Builder<AtomicReference<Double>> g =
              Gauge.builder(name, holder, AtomicReference::get)
                  .description(description)
                  .tag("tenant", tenant)
                  .tag("slo", slo.name());
          if (window != null) {
            g.tag("window", window);
          }
          g.register(registry);
          return holder;
        });
  }

  /** Starts refreshing in the background. */
  public synchronized SloGauges start() {
    if (loop == null) {
      loop = BackgroundLoop.every("maestro-slo-gauges", interval, this::refresh);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.close();
      loop = null;
    }
  }
}
