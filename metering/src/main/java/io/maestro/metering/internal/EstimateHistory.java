package io.maestro.metering.internal;

import io.maestro.core.TenantId;
import io.maestro.metering.EventType;
import io.maestro.store.Tx;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The estimator's reads of past runs of one workflow version: the latest step attempts (their
 * durations, per step id) and the latest runs' overhead (the cost of everything but step time).
 * Both read a bounded number of the newest rows off an index ({@code metering_events_version},
 * {@code metering_run_estimates_settled}), so an estimate costs the same however long the tenant's
 * history is.
 */
public final class EstimateHistory {
  /** How many past step attempts of a version are read. */
  static final int STEP_SAMPLES = 500;

  /** How many past runs of a version the overhead is taken from. */
  static final int RUN_SAMPLES = 20;

  private EstimateHistory() {}

  /** Durations (ms) of the latest step attempts of the version, per step id. */
  public static Map<String, List<Long>> stepDurations(
      Tx tx, TenantId tenant, String workflow, String version) {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    tx.query(
            "SELECT subject, quantity FROM metering_events WHERE tenant_id = ? AND workflow = ?"
                + " AND version = ? AND event_type = ? ORDER BY seq DESC LIMIT "
                + STEP_SAMPLES,
            rs -> new Object[] {rs.getString("subject"), rs.getLong("quantity")},
            tenant.value(),
            workflow,
            version,
            EventType.STEP_EXECUTED.wire())
        .forEach(
            row ->
                out.computeIfAbsent(stepId((String) row[0]), k -> new ArrayList<>())
                    .add((Long) row[1]));
    return out;
  }

  /**
   * The overhead of each of the latest ended runs of the version: the cost of its events other than
   * step time (its start, its receipts and their storage, its approvals), as written beside its
   * estimate when it ended.
   */
  public static List<BigDecimal> runOverheads(
      Tx tx, TenantId tenant, String workflow, String version) {
    return BudgetTable.settledOverheads(tx, tenant, workflow, version, RUN_SAMPLES);
  }

  /** The step id of a step subject {@code step/<run>/<step>}. */
  static String stepId(String subject) {
    int first = subject.indexOf('/');
    int second = first < 0 ? -1 : subject.indexOf('/', first + 1);
    return second < 0 ? subject : subject.substring(second + 1);
  }
}
