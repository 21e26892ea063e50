package io.maestro.server.governance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.core.config.MaestroConfig;
import io.maestro.core.json.Json;
import io.maestro.engine.run.RunQueries;
import io.maestro.governance.Ramp;
import io.maestro.governance.slo.Slo;
import io.maestro.governance.slo.SloSet;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantDirectory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Whether a canary breaches, and why. Three reasons, each with its numbers: {@code error_rate}
 * (more failed runs than the threshold allows in both the short and the long window), {@code
 * slo_burn} (an SLO evaluated over the canary's own runs pages: 1 h and 5 min both burn above
 * 14.4×) and {@code receipt_backlog} (the tenant's receipts awaiting a signed checkpoint reached
 * {@code governance.rollback.receiptBacklogPercent} of its quota). The first two need {@code
 * governance.rollback.minRuns} finished runs in the short window; the backlog does not.
 */
final class BreachCheck {
  static final String ERROR_RATE = "error_rate";
  static final String SLO_BURN = "slo_burn";
  static final String RECEIPT_BACKLOG = "receipt_backlog";

  private final RunQueries runs;
  private final SloSet slos;
  private final ToLongFunction<TenantId> receiptBacklog;
  private final TenantDirectory directory;
  private final MaestroConfig.Governance settings;
  private final Clock clock;

  /**
   * @param receiptBacklog a tenant's receipts not yet covered by a signed checkpoint (what the
   *     {@code quota_receipt_backlog_exceeded} refusal judges)
   */
  BreachCheck(
      RunQueries runs,
      SloSet slos,
      ToLongFunction<TenantId> receiptBacklog,
      TenantDirectory directory,
      MaestroConfig.Governance settings,
      Clock clock) {
    this.runs = runs;
    this.slos = slos;
    this.receiptBacklog = receiptBacklog;
    this.directory = directory;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * A breach of a canary: its reasons (in the order above) and the numbers behind every check, as
   * the incident's {@code breach_detected} step records them.
   */
  record Breach(List<String> reasons, ObjectNode json) {
    Breach {
      reasons = List.copyOf(reasons);
    }
  }

  /** The numbers of one window: finished and failed runs, and their rate in percent. */
  record Window(long seconds, long finished, long failed) {
    BigDecimal ratePercent() {
      return finished == 0
          ? BigDecimal.ZERO
          : BigDecimal.valueOf(failed * 100)
              .divide(BigDecimal.valueOf(finished), 2, RoundingMode.HALF_UP);
    }

    ObjectNode json() {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("window_seconds", seconds);
      o.put("finished", finished);
      o.put("failed", failed);
      o.put("error_rate_percent", ratePercent());
      return o;
    }
  }

  Optional<Breach> check(Ramp ramp) {
    TenantId tenant = TenantId.of(ramp.tenant());
    Instant now = clock.instant();
    List<String> reasons = new ArrayList<>();
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode rs = o.putArray("reasons");
    Window s = window(tenant, ramp, now, settings.rollbackShortWindow());
    if (s.finished() >= settings.rollbackMinRuns()) {
      Window l = window(tenant, ramp, now, settings.rollbackLongWindow());
      BigDecimal threshold = settings.rollbackErrorRatePercent();
      o.put("rule", "error rate above threshold in both windows");
      o.put("threshold_percent", threshold);
      o.set("short", s.json());
      o.set("long", l.json());
      if (exceeds(s, threshold) && exceeds(l, threshold)) {
        reasons.add(ERROR_RATE);
      }
      ArrayNode burning = Json.MAPPER.createArrayNode();
      for (Slo slo : slos.slos()) {
        if (!slo.sli().fromEngineData()) {
          continue;
        }
        SloEvaluation e =
            SloEvaluation.ofVersion(runs, tenant, ramp.workflow(), ramp.version(), slo, now);
        e.paging()
            .ifPresent(
                a -> {
                  ObjectNode b = burning.addObject();
                  b.put("slo", slo.name());
                  b.put("severity", a.rule().severity());
                  b.put("factor", a.rule().factor());
                  ObjectNode rates = b.putObject("burn_rates");
                  for (Duration w : List.of(a.rule().longWindow(), a.rule().shortWindow())) {
                    rates.put(
                        io.maestro.governance.slo.SloRules.label(w),
                        round(e.burnRates().getOrDefault(w, 0.0)));
                  }
                });
      }
      if (!burning.isEmpty()) {
        reasons.add(SLO_BURN);
        o.set(SLO_BURN, burning);
      }
    }
    backlog(tenant).ifPresent(b -> o.set(RECEIPT_BACKLOG, b));
    if (o.path(RECEIPT_BACKLOG).path("breached").asBoolean()) {
      reasons.add(RECEIPT_BACKLOG);
    }
    reasons.forEach(rs::add);
    return reasons.isEmpty() ? Optional.empty() : Optional.of(new Breach(reasons, o));
  }

  /** Whether the tenant's receipt backlog is at its threshold now. */
  boolean backlogBreached(TenantId tenant) {
    return backlog(tenant).map(b -> b.path("breached").asBoolean()).orElse(false);
  }

  /** The tenant's receipt backlog against its quota, when the check is on. */
  private Optional<ObjectNode> backlog(TenantId tenant) {
    int percent = settings.rollbackReceiptBacklogPercent();
    Optional<Integer> max =
        directory.tenant(tenant).map(Tenant::quotas).map(q -> q.maxReceiptBacklog());
    if (percent == 0 || max.isEmpty() || max.get() <= 0) {
      return Optional.empty();
    }
    long unsigned = receiptBacklog.applyAsLong(tenant);
    // unsigned / max >= percent / 100, compared exactly
    boolean breached = unsigned * 100 >= (long) percent * max.get();
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("unsigned", unsigned);
    b.put("max", max.get());
    b.put("threshold_percent", percent);
    b.put("breached", breached);
    return Optional.of(b);
  }

  private static double round(double v) {
    return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).doubleValue();
  }

  private static boolean exceeds(Window w, BigDecimal thresholdPercent) {
    // failed / finished > threshold / 100, compared exactly
    return BigDecimal.valueOf(w.failed())
            .multiply(BigDecimal.valueOf(100))
            .compareTo(thresholdPercent.multiply(BigDecimal.valueOf(w.finished())))
        > 0;
  }

  private Window window(TenantId tenant, Ramp ramp, Instant now, Duration d) {
    RunQueries.Finished f =
        runs.finishedSince(tenant, ramp.workflow(), ramp.version(), now.minus(d));
    return new Window(d.toSeconds(), f.total(), f.failed());
  }
}
