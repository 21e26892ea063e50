package io.maestro.engine.queue;

import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.store.Database;
import io.maestro.store.Dialect;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The durable queue on the database ({@code engine_work}). Work is enqueued in the same transaction
 * as the state change that creates it, so a committed READY step always has its row and a rolled
 * back one never does. Workers claim rows with a lease ({@code FOR UPDATE SKIP LOCKED}: concurrent
 * claimers skip each other's rows instead of waiting), extend the lease with heartbeats, and delete
 * the row in the transaction that records the outcome. A lease that runs out (the worker died)
 * makes the row claimable again: delivery is at-least-once, and {@link WorkItem#claims()} tells a
 * redelivery.
 *
 * <p>Fairness: a claim first lists the tenants with due work, longest-waiting first, then takes an
 * equal share from each, so a tenant with 10,000 queued steps cannot starve one with a single step.
 * Thread-safe.
 */
public final class WorkQueue {
  /** The PostgreSQL notification channel that announces new work. */
  public static final String CHANNEL = "maestro_engine_work";

  private static final String COLUMNS =
      "tenant_id, work_id, run_id, step_id, kind, attempt, due_at, claims";
  private static final int MAX_TENANTS_PER_CLAIM = 64;

  private final Database db;
  private final Ids ids;
  private final WakeSignal signal;

  public WorkQueue(Database db, Ids ids, WakeSignal signal) {
    this.db = db;
    this.ids = ids;
    this.signal = signal;
  }

  public WakeSignal signal() {
    return signal;
  }

  /**
   * Adds a row in {@code tx}. Work that is due by {@code now} wakes the dispatchers once the
   * transaction commits: in this process by the signal, in others by {@code NOTIFY} (PostgreSQL
   * delivers it at commit, and drops it on rollback).
   */
  public String enqueue(
      Tx tx,
      TenantId tenant,
      String runId,
      String stepId,
      WorkKind kind,
      int attempt,
      Instant dueAt,
      Instant now) {
    String id = ids.next("wk");
    tx.update(
        "INSERT INTO engine_work (tenant_id, work_id, run_id, step_id, kind, attempt, due_at,"
            + " claims) VALUES (?,?,?,?,?,?,?,0)",
        tenant.value(),
        id,
        runId,
        stepId,
        kind.name(),
        attempt,
        dueAt);
    if (!dueAt.isAfter(now.plusMillis(50))) {
      notifyOthers(tx);
    }
    tx.afterCommit(signal::wake);
    return id;
  }

  private static void notifyOthers(Tx tx) {
    if (tx.dialect() == Dialect.POSTGRESQL) {
      tx.query("SELECT pg_notify(?, '')", rs -> 1, CHANNEL);
    }
  }

  /** Removes the rows of a step (e.g. its timeout timer once it finished), except {@code keep}. */
  public int deleteForStep(
      Tx tx, TenantId tenant, String runId, String stepId, Optional<String> keep) {
    if (keep.isPresent()) {
      return tx.update(
          "DELETE FROM engine_work WHERE tenant_id = ? AND run_id = ? AND step_id = ? AND work_id <> ?",
          tenant.value(),
          runId,
          stepId,
          keep.get());
    }
    return tx.update(
        "DELETE FROM engine_work WHERE tenant_id = ? AND run_id = ? AND step_id = ?",
        tenant.value(),
        runId,
        stepId);
  }

  /** Removes every row of a run (it finished or was cancelled). */
  public int deleteForRun(Tx tx, TenantId tenant, String runId) {
    return tx.update(
        "DELETE FROM engine_work WHERE tenant_id = ? AND run_id = ?", tenant.value(), runId);
  }

  /**
   * Completes a claimed row in {@code tx}.
   *
   * @return false when this owner no longer holds it (its lease expired and another worker took it,
   *     or the run was cancelled): the caller must then discard its result
   */
  public boolean complete(Tx tx, WorkItem item, String owner) {
    return tx.update(
            "DELETE FROM engine_work WHERE tenant_id = ? AND work_id = ? AND lease_owner = ?",
            item.tenant().value(),
            item.workId(),
            owner)
        == 1;
  }

  /**
   * Claims up to {@code limit} due rows for {@code owner} until {@code now + lease}, sharing the
   * claim fairly across tenants.
   */
  public List<WorkItem> claim(String owner, int limit, Instant now, Duration lease) {
    if (limit <= 0) {
      return List.of();
    }
    Instant until = now.plus(lease);
    return db.inTransaction(
        TenantScope.platform(),
        tx -> {
          // The tenants whose work has waited longest come first, so with more tenants than one
          // claim lists, none is left out for good.
          List<String> tenants =
              tx.query(
                  "SELECT tenant_id, MIN(due_at) AS oldest FROM engine_work WHERE due_at <= ? AND"
                      + " (lease_until IS NULL OR lease_until < ?) GROUP BY tenant_id ORDER BY"
                      + " oldest LIMIT ?",
                  rs -> rs.getString("tenant_id"),
                  now,
                  now,
                  MAX_TENANTS_PER_CLAIM);
          if (tenants.isEmpty()) {
            return List.of();
          }
          List<String> order = new ArrayList<>(tenants);
          int share = Math.max(1, limit / order.size());
          List<WorkItem> claimed = new ArrayList<>();
          for (String tenant : order) {
            int want = Math.min(share, limit - claimed.size());
            if (want <= 0) {
              break;
            }
            claimed.addAll(claimFrom(tx, tenant, want, now, owner, until));
          }
          // Leftover capacity (some tenants had less than their share) goes round again; rows
          // leased above no longer match the claimable filter, so none is taken twice.
          for (String tenant : order) {
            int want = limit - claimed.size();
            if (want <= 0) {
              break;
            }
            claimed.addAll(claimFrom(tx, tenant, want, now, owner, until));
          }
          return claimed;
        });
  }

  private static List<WorkItem> claimFrom(
      Tx tx, String tenant, int want, Instant now, String owner, Instant until) {
    List<WorkItem> rows =
        tx.query(
            "SELECT "
                + COLUMNS
                + " FROM engine_work WHERE tenant_id = ? AND due_at <= ? AND (lease_until IS NULL OR"
                + " lease_until < ?) ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED",
            rs ->
                new WorkItem(
                    TenantId.of(rs.getString("tenant_id")),
                    rs.getString("work_id"),
                    rs.getString("run_id"),
                    rs.getString("step_id"),
                    WorkKind.valueOf(rs.getString("kind")),
                    rs.getInt("attempt"),
                    Tx.instant(rs, "due_at"),
                    rs.getInt("claims") + 1),
            tenant,
            now,
            now,
            want);
    for (WorkItem w : rows) {
      tx.update(
          "UPDATE engine_work SET lease_owner = ?, lease_until = ?, claims = claims + 1"
              + " WHERE tenant_id = ? AND work_id = ?",
          owner,
          until,
          w.tenant().value(),
          w.workId());
    }
    return rows;
  }

  /**
   * Extends the lease of a held row.
   *
   * @return false when the row is gone or held by someone else: the work was cancelled, timed out
   *     or redelivered, and the holder should stop
   */
  public boolean heartbeat(WorkItem item, String owner, Instant until) {
    return db.inTransaction(
            TenantScope.platform(),
            tx ->
                tx.update(
                    "UPDATE engine_work SET lease_until = ? WHERE tenant_id = ? AND work_id = ? AND"
                        + " lease_owner = ?",
                    until,
                    item.tenant().value(),
                    item.workId(),
                    owner))
        == 1;
  }

  /** When the next row becomes claimable (due, or its lease expires), if any row exists. */
  public Optional<Instant> nextDue() {
    return db.inTransaction(
        TenantScope.platform(),
        tx ->
            tx.queryOne(
                    "SELECT MIN(CASE WHEN lease_until IS NULL OR lease_until < due_at THEN due_at ELSE"
                        + " lease_until END) AS t FROM engine_work",
                    rs -> Optional.ofNullable(Tx.instant(rs, "t")))
                .flatMap(o -> o));
  }

  /** How many rows are queued (all tenants); for metrics and tests. */
  public int size() {
    return db.inTransaction(
        TenantScope.platform(),
        tx -> tx.queryOne("SELECT count(*) AS n FROM engine_work", rs -> rs.getInt("n")).orElse(0));
  }
}
