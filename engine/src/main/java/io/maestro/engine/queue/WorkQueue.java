package io.maestro.engine.queue;

import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.trace.Tracing;
import io.maestro.store.Database;
import io.maestro.store.Dialect;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
      "tenant_id, work_id, run_id, step_id, kind, attempt, due_at, claims, trace_parent";
  private static final int MAX_TENANTS_PER_CLAIM = 64;

  private final Database db;
  private final Ids ids;
  private final WakeSignal signal;
  private final Broadcast external = new Broadcast();

  public WorkQueue(Database db, Ids ids, WakeSignal signal) {
    this.db = db;
    this.ids = ids;
    this.signal = signal;
  }

  public WakeSignal signal() {
    return signal;
  }

  /** Wakes every external worker's long poll in this process when external work is enqueued. */
  public Broadcast externalSignal() {
    return external;
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
    return insert(tx, tenant, runId, stepId, kind, attempt, dueAt, now, Optional.empty());
  }

  /**
   * Enqueues an attempt of a step whose task is {@code uses}: a {@code worker/<queue>} task's row
   * names its queue, so only external workers polling that queue claim it (see {@link
   * #claimExternal}); any other task's row is claimed by the engine's worker pools.
   */
  public String enqueueAttempt(
      Tx tx,
      TenantId tenant,
      String runId,
      String stepId,
      String uses,
      int attempt,
      Instant dueAt,
      Instant now) {
    return insert(
        tx, tenant, runId, stepId, WorkKind.EXECUTE, attempt, dueAt, now, WorkerQueues.of(uses));
  }

  private String insert(
      Tx tx,
      TenantId tenant,
      String runId,
      String stepId,
      WorkKind kind,
      int attempt,
      Instant dueAt,
      Instant now,
      Optional<String> queue) {
    String id = ids.next("wk");
    tx.update(
        "INSERT INTO engine_work (tenant_id, work_id, run_id, step_id, kind, attempt, due_at,"
            + " claims, queue, trace_parent) VALUES (?,?,?,?,?,?,?,0,?,?)",
        tenant.value(),
        id,
        runId,
        stepId,
        kind.name(),
        attempt,
        dueAt,
        queue.orElse(null),
        Tracing.currentTraceParent());
    if (queue.isPresent()) {
      tx.afterCommit(external::wake);
    } else {
      announcements(tx).enqueued(id, !dueAt.isAfter(now.plusMillis(50)));
    }
    return id;
  }

  /**
   * What a transaction's engine rows announce when it commits: due rows wake the dispatchers of
   * other servers ({@code NOTIFY}, sent just before the commit, so PostgreSQL delivers it with the
   * commit), and any row wakes this process's dispatcher (to claim it, or to sleep until it is due)
   * — except rows the same transaction claimed again (a step's successor taken by the worker that
   * recorded the step, ADR 0056): nobody else can claim those.
   */
  private Announcements announcements(Tx tx) {
    return tx.local(
        Announcements.class,
        () -> {
          Announcements a = new Announcements();
          tx.beforeCommit(
              () -> {
                if ((a.released || !a.due.isEmpty()) && tx.dialect() == Dialect.POSTGRESQL) {
                  tx.query("SELECT pg_notify(?, '')", rs -> 1, CHANNEL);
                }
              });
          tx.afterCommit(
              () -> {
                if (a.released || !a.due.isEmpty() || a.later) {
                  signal.wake();
                }
              });
          return a;
        });
  }

  /** The engine rows a transaction enqueued (or released) and has not claimed itself. */
  private static final class Announcements {
    final java.util.Set<String> due = new java.util.HashSet<>();
    boolean later;
    boolean released;

    void enqueued(String workId, boolean isDue) {
      if (isDue) {
        due.add(workId);
      } else {
        later = true;
      }
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
   * Holds the rows of a run that is pausing: its queued attempts ({@link WorkKind#EXECUTE}) and
   * wake-ups ({@link WorkKind#RESUME}) are no longer claimed. A row a worker holds now stays its
   * own (heartbeats and completion ignore the flag), so a running attempt finishes; if that worker
   * dies, the attempt is not redelivered until the run resumes. Timeout rows are not held: they
   * bound attempts that were allowed to finish.
   *
   * @return how many rows were held
   */
  public int holdRun(Tx tx, TenantId tenant, String runId) {
    return tx.update(
        "UPDATE engine_work SET held = TRUE WHERE tenant_id = ? AND run_id = ? AND kind IN (?, ?)",
        tenant.value(),
        runId,
        WorkKind.EXECUTE.name(),
        WorkKind.RESUME.name());
  }

  /**
   * Releases the held rows of a resuming run and wakes the dispatchers (here at commit, elsewhere
   * by {@code NOTIFY}), so its queued attempts run at once.
   *
   * @return how many rows were released
   */
  public int releaseRun(Tx tx, TenantId tenant, String runId) {
    int n =
        tx.update(
            "UPDATE engine_work SET held = FALSE WHERE tenant_id = ? AND run_id = ? AND held = TRUE",
            tenant.value(),
            runId);
    if (n > 0) {
      announcements(tx).released = true;
      tx.afterCommit(external::wake);
    }
    return n;
  }

  /**
   * Puts back a row its claimer found belonging to a paused run: held, unleased, and its claim not
   * counted (it was not a delivery). Rows written while the run was pausing (a retry, a timer) are
   * caught this way the first time they are claimed.
   */
  public void holdBack(Tx tx, WorkItem item, String owner) {
    tx.update(
        "UPDATE engine_work SET held = TRUE, lease_owner = NULL, lease_until = NULL,"
            + " claims = claims - 1 WHERE tenant_id = ? AND work_id = ? AND lease_owner = ?",
        item.tenant().value(),
        item.workId(),
        owner);
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

  /** Claims up to {@code want} due rows of {@code tenant} (of one run, with {@code runId}). */
  private List<WorkItem> claimFrom(
      Tx tx,
      String tenant,
      Optional<String> runId,
      int want,
      Instant now,
      String owner,
      Instant until) {
    List<Object> args = new ArrayList<>(List.of(tenant));
    runId.ifPresent(args::add);
    args.addAll(List.of(now, now, want));
    List<WorkItem> rows =
        tx.query(
            "SELECT "
                + COLUMNS
                + " FROM engine_work WHERE tenant_id = ?"
                + (runId.isPresent() ? " AND run_id = ?" : "")
                + " AND queue IS NULL AND held = FALSE AND due_at <= ? AND (lease_until IS NULL OR"
                + " lease_until < ?) ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED",
            rs -> item(rs, 1),
            args.toArray());
    for (WorkItem w : rows) {
      lease(tx, w, owner, until);
      // Claimed by the transaction that enqueued it: nothing to announce for it.
      announcements(tx).due.remove(w.workId());
    }
    return rows;
  }

  /**
   * Which tenants have rows the engine's pools may claim now, oldest-waiting first, with how many
   * each has (at most {@value #MAX_TENANTS_PER_CLAIM} tenants), and, when they are fewer than
   * {@code limit}, when the next row becomes claimable. A read: nothing is claimed; each worker
   * then claims one row of its tenant in its attempt's own transaction ({@link #claimOne}).
   */
  public Due due(int limit, Instant now) {
    return db.inTransaction(
        TenantScope.platform(),
        tx -> {
          Map<TenantId, Integer> tenants = new java.util.LinkedHashMap<>();
          tx.query(
                  "SELECT tenant_id, MIN(due_at) AS oldest, COUNT(*) AS n FROM engine_work WHERE"
                      + " queue IS NULL AND held = FALSE AND due_at <= ? AND (lease_until IS NULL"
                      + " OR lease_until < ?) GROUP BY tenant_id ORDER BY oldest LIMIT ?",
                  rs -> Map.entry(TenantId.of(rs.getString("tenant_id")), rs.getInt("n")),
                  now,
                  now,
                  MAX_TENANTS_PER_CLAIM)
              .forEach(e -> tenants.put(e.getKey(), e.getValue()));
          int total = tenants.values().stream().mapToInt(Integer::intValue).sum();
          return new Due(tenants, total < limit ? nextDueAfter(tx, now) : Optional.empty());
        });
  }

  /** When the next row that is not claimable at {@code now} becomes claimable, if any. */
  private static Optional<Instant> nextDueAfter(Tx tx, Instant now) {
    return tx.queryOne(
            "SELECT MIN(CASE WHEN lease_until IS NULL OR lease_until < due_at THEN due_at ELSE"
                + " lease_until END) AS t FROM engine_work WHERE queue IS NULL AND held = FALSE"
                + " AND NOT (due_at <= ? AND (lease_until IS NULL OR lease_until < ?))",
            rs -> Optional.ofNullable(Tx.instant(rs, "t")),
            now,
            now)
        .flatMap(o -> o);
  }

  /**
   * Claimable rows per tenant, oldest-waiting tenant first, and when the next row becomes claimable
   * (read only when the rows were fewer than asked).
   */
  public record Due(Map<TenantId, Integer> tenants, Optional<Instant> nextDue) {}

  /**
   * Claims the oldest due row of {@code tenant} for {@code owner} until {@code now + lease} in
   * {@code tx} (skipping rows other claimers hold), or nothing when none is left.
   */
  public Optional<WorkItem> claimOne(
      Tx tx, TenantId tenant, String owner, Instant now, Duration lease) {
    return claimFrom(tx, tenant.value(), Optional.empty(), 1, now, owner, now.plus(lease)).stream()
        .findFirst();
  }

  /**
   * Claims the oldest due row of one run of {@code tenant}, as {@link #claimOne} does: a worker
   * that records a step's outcome takes the step's successor in the same transaction (ADR 0056).
   */
  public Optional<WorkItem> claimOneOfRun(
      Tx tx, TenantId tenant, String runId, String owner, Instant now, Duration lease) {
    return claimFrom(tx, tenant.value(), Optional.of(runId), 1, now, owner, now.plus(lease))
        .stream()
        .findFirst();
  }

  /**
   * Restarts the lease of a row {@code owner} claimed in {@code tx} (still open) from {@code now}:
   * the first phase of the attempt ran in that transaction, and its time does not count against the
   * lease. A row the phase settled (deleted) is not there any more; nothing happens then.
   *
   * @return false when {@code owner} does not hold the row (any more)
   */
  public boolean renewClaim(Tx tx, WorkItem item, String owner, Instant until) {
    return tx.update(
            "UPDATE engine_work SET lease_until = ? WHERE tenant_id = ? AND work_id = ? AND"
                + " lease_owner = ?",
            until,
            item.tenant().value(),
            item.workId(),
            owner)
        == 1;
  }

  /**
   * Leases a row whose claiming transaction failed, in a transaction of its own and counting the
   * claim, so it is delivered again only once this lease runs out — as a row claimed and then
   * failed always was — instead of being claimed again at once, in a loop, by the next worker.
   */
  public void leaseAfterFailure(
      TenantId tenant, String workId, String owner, Instant now, Instant until) {
    db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            tx.update(
                "UPDATE engine_work SET lease_owner = ?, lease_until = ?, claims = claims + 1"
                    + " WHERE tenant_id = ? AND work_id = ? AND (lease_until IS NULL OR"
                    + " lease_until < ?)",
                owner,
                until,
                tenant.value(),
                workId,
                now));
  }

  /**
   * Claims up to {@code limit} due rows of {@code tenant}'s external {@code queues} for {@code
   * owner} until {@code now + lease}: the same lease columns and skip-locked claim as {@link
   * #claim}, so a lease that runs out redelivers the attempt exactly as for the engine's own work.
   */
  public List<Held> claimExternal(
      TenantId tenant,
      java.util.Collection<String> queues,
      String owner,
      int limit,
      Instant now,
      Duration lease) {
    if (limit <= 0 || queues.isEmpty()) {
      return List.of();
    }
    Instant until = now.plus(lease);
    String marks = String.join(",", java.util.Collections.nCopies(queues.size(), "?"));
    List<Object> args = new ArrayList<>();
    args.add(tenant.value());
    args.addAll(queues);
    args.addAll(List.of(now, now, limit));
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          List<Held> rows =
              tx.query(
                  "SELECT "
                      + COLUMNS
                      + ", queue FROM engine_work WHERE tenant_id = ? AND queue IN ("
                      + marks
                      + ") AND held = FALSE AND due_at <= ? AND (lease_until IS NULL OR"
                      + " lease_until < ?) ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED",
                  rs ->
                      new Held(
                          item(rs, 1),
                          rs.getString("queue"),
                          Optional.of(owner),
                          Optional.of(until)),
                  args.toArray());
          for (Held h : rows) {
            lease(tx, h.item(), owner, until);
          }
          return rows;
        });
  }

  /** The external row {@code workId} of {@code tenant}, read (and locked) in {@code tx}. */
  public Optional<Held> held(Tx tx, TenantId tenant, String workId) {
    return tx.queryOne(
        "SELECT "
            + COLUMNS
            + ", queue, lease_owner, lease_until FROM engine_work WHERE tenant_id = ? AND work_id = ?"
            + " AND queue IS NOT NULL FOR UPDATE",
        rs ->
            new Held(
                item(rs, 0),
                rs.getString("queue"),
                Optional.ofNullable(rs.getString("lease_owner")),
                Optional.ofNullable(Tx.instant(rs, "lease_until"))),
        tenant.value(),
        workId);
  }

  /** Extends the lease of an external row held by {@code owner} at claim {@code claims}. */
  public boolean heartbeatExternal(
      TenantId tenant, String workId, int claims, String owner, Instant until) {
    return db.inTransaction(
            TenantScope.of(tenant),
            tx ->
                tx.update(
                    "UPDATE engine_work SET lease_until = ? WHERE tenant_id = ? AND work_id = ? AND"
                        + " lease_owner = ? AND claims = ? AND queue IS NOT NULL",
                    until,
                    tenant.value(),
                    workId,
                    owner,
                    claims))
        == 1;
  }

  /**
   * A row as a work item; {@code claiming} is 1 when the caller is claiming it now (its claim
   * counts), 0 when it reads the row as it stands.
   */
  private static WorkItem item(java.sql.ResultSet rs, int claiming) throws java.sql.SQLException {
    return new WorkItem(
        TenantId.of(rs.getString("tenant_id")),
        rs.getString("work_id"),
        rs.getString("run_id"),
        rs.getString("step_id"),
        WorkKind.valueOf(rs.getString("kind")),
        rs.getInt("attempt"),
        Tx.instant(rs, "due_at"),
        rs.getInt("claims") + claiming,
        rs.getString("trace_parent"));
  }

  private static void lease(Tx tx, WorkItem w, String owner, Instant until) {
    tx.update(
        "UPDATE engine_work SET lease_owner = ?, lease_until = ?, claims = claims + 1"
            + " WHERE tenant_id = ? AND work_id = ?",
        owner,
        until,
        w.tenant().value(),
        w.workId());
  }

  /**
   * Extends the lease of a held row.
   *
   * @return false when the row is gone or held by someone else: the work was cancelled, timed out
   *     or redelivered, and the holder should stop
   */
  public boolean heartbeat(WorkItem item, String owner, Instant until) {
    return db.inTransaction(TenantScope.platform(), tx -> renewClaim(tx, item, owner, until));
  }

  /** How many rows are queued (all tenants); for metrics and tests. */
  public int size() {
    return db.inTransaction(
        TenantScope.platform(),
        tx -> tx.queryOne("SELECT count(*) AS n FROM engine_work", rs -> rs.getInt("n")).orElse(0));
  }
}
