package io.maestro.metering.internal;

import io.maestro.core.TenantId;
import io.maestro.metering.Budget;
import io.maestro.metering.BudgetAlert;
import io.maestro.metering.RunEstimate;
import io.maestro.store.Tx;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** SQL for the budgets, the run estimates and the budget alerts. */
public final class BudgetTable {
  private BudgetTable() {}

  public static Optional<Budget> find(Tx tx, TenantId tenant) {
    return tx.queryOne(
        "SELECT daily_max_usd, monthly_max_usd FROM metering_budgets WHERE tenant_id = ?",
        rs ->
            Budget.of(
                Optional.ofNullable(rs.getBigDecimal("daily_max_usd")),
                Optional.ofNullable(rs.getBigDecimal("monthly_max_usd"))),
        tenant.value());
  }

  /** Replaces the tenant's budget (both caps). */
  public static void put(Tx tx, TenantId tenant, Budget b, String by, Instant at) {
    BigDecimal daily = b.dailyMaxUsd().orElse(null);
    BigDecimal monthly = b.monthlyMaxUsd().orElse(null);
    int updated =
        tx.update(
            "UPDATE metering_budgets SET daily_max_usd = ?, monthly_max_usd = ?, updated_at = ?,"
                + " updated_by = ? WHERE tenant_id = ?",
            daily,
            monthly,
            at,
            by,
            tenant.value());
    if (updated == 0) {
      tx.update(
          "INSERT INTO metering_budgets (tenant_id, daily_max_usd, monthly_max_usd, updated_at,"
              + " updated_by) VALUES (?, ?, ?, ?, ?)",
          tenant.value(),
          daily,
          monthly,
          at,
          by);
    }
  }

  /**
   * Stores a run's estimate once, with what the run has cost so far ({@code actual}, of which
   * {@code overhead} is not step time); returns false if the run already has one.
   */
  public static boolean putEstimate(
      Tx tx, TenantId tenant, RunEstimate e, BigDecimal actual, BigDecimal overhead) {
    return tx.update(
            "INSERT INTO metering_run_estimates (tenant_id, run_id, workflow, version,"
                + " decision_id, estimated_usd, basis, created_at, actual_usd, overhead_usd) VALUES"
                + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            tenant.value(),
            e.runId(),
            e.workflow(),
            e.version(),
            e.decisionId(),
            e.estimatedUsd(),
            e.basis(),
            e.createdAt(),
            actual,
            overhead)
        == 1;
  }

  /**
   * Adds newly recorded costs of a run that has not ended to the actual cost beside its estimate
   * (nothing happens for a run without one). A row from before actual costs were kept holds NULL
   * and keeps it: its run is summed from its events when it ends.
   */
  public static void addActual(
      Tx tx, TenantId tenant, String runId, BigDecimal cost, BigDecimal overhead) {
    tx.update(
        "UPDATE metering_run_estimates SET actual_usd = actual_usd + ?, overhead_usd ="
            + " overhead_usd + ? WHERE tenant_id = ? AND run_id = ? AND settled_at IS NULL",
        cost,
        overhead,
        tenant.value(),
        runId);
  }

  /** What a run has cost so far, as kept beside its estimate; empty when it has none (or NULL). */
  public record Actual(
      RunEstimate estimate,
      Optional<BigDecimal> actual,
      Optional<BigDecimal> overhead,
      boolean settled) {}

  public static Optional<Actual> actual(Tx tx, TenantId tenant, String runId) {
    return tx.queryOne(
        "SELECT run_id, workflow, version, decision_id, estimated_usd, basis, created_at,"
            + " actual_usd, overhead_usd, settled_at FROM metering_run_estimates WHERE tenant_id ="
            + " ? AND run_id = ?",
        rs ->
            new Actual(
                new RunEstimate(
                    rs.getString("run_id"),
                    rs.getString("workflow"),
                    rs.getString("version"),
                    rs.getString("decision_id"),
                    rs.getBigDecimal("estimated_usd"),
                    rs.getString("basis"),
                    Tx.instant(rs, "created_at")),
                Optional.ofNullable(rs.getBigDecimal("actual_usd")),
                Optional.ofNullable(rs.getBigDecimal("overhead_usd")),
                rs.getObject("settled_at") != null),
        tenant.value(),
        runId);
  }

  public static Optional<RunEstimate> estimate(Tx tx, TenantId tenant, String runId) {
    return actual(tx, tenant, runId).map(Actual::estimate);
  }

  /**
   * Writes what an ended run cost beside its estimate, once; returns false if the run has no
   * estimate or was settled before.
   */
  public static boolean settleEstimate(
      Tx tx, TenantId tenant, String runId, BigDecimal actual, BigDecimal overhead, Instant at) {
    return tx.update(
            "UPDATE metering_run_estimates SET actual_usd = ?, overhead_usd = ?, settled_at = ?"
                + " WHERE tenant_id = ? AND run_id = ? AND settled_at IS NULL",
            actual,
            overhead,
            at,
            tenant.value(),
            runId)
        == 1;
  }

  /**
   * The overhead (cost other than step time) of the latest {@code limit} ended runs of a workflow
   * version, newest first: an index read, however long the tenant's history is.
   */
  public static List<BigDecimal> settledOverheads(
      Tx tx, TenantId tenant, String workflow, String version, int limit) {
    return tx.query(
        "SELECT overhead_usd FROM metering_run_estimates WHERE tenant_id = ? AND workflow = ?"
            + " AND version = ? AND settled_at IS NOT NULL ORDER BY settled_at DESC LIMIT "
            + limit,
        rs -> rs.getBigDecimal("overhead_usd"),
        tenant.value(),
        workflow,
        version);
  }

  /** Stores an alert unless its period's bucket has one; returns whether this call stored it. */
  public static boolean putAlert(Tx tx, TenantId tenant, BudgetAlert a) {
    return tx.update(
            "INSERT INTO metering_budget_alerts (tenant_id, period, bucket, decision_id,"
                + " spent_usd, estimated_usd, limit_usd, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
                + " ?) ON CONFLICT DO NOTHING",
            tenant.value(),
            a.period(),
            a.bucket(),
            a.decisionId(),
            a.spentUsd(),
            a.estimatedUsd(),
            a.limitUsd(),
            a.occurredAt())
        == 1;
  }

  /** The tenant's alerts from {@code from} on, oldest first. */
  public static List<BudgetAlert> alerts(Tx tx, TenantId tenant, Instant from) {
    return tx.query(
        "SELECT period, bucket, decision_id, spent_usd, estimated_usd, limit_usd, occurred_at FROM"
            + " metering_budget_alerts WHERE tenant_id = ? AND occurred_at >= ? ORDER BY"
            + " occurred_at, period",
        rs ->
            new BudgetAlert(
                rs.getString("period"),
                Tx.instant(rs, "bucket"),
                rs.getString("decision_id"),
                rs.getBigDecimal("spent_usd"),
                rs.getBigDecimal("estimated_usd"),
                rs.getBigDecimal("limit_usd"),
                Tx.instant(rs, "occurred_at")),
        tenant.value(),
        from);
  }
}
