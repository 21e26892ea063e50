package io.maestro.engine.run;

import io.maestro.core.TenantId;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.internal.RunStore;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads runs. Thread-safe. */
public final class RunQueries {
  public static final int MAX_PAGE = 500;

  private final Database db;
  private final RunStore runs;

  public RunQueries(Database db, RunStore runs) {
    this.db = db;
    this.runs = runs;
  }

  /** Queries on {@code db}, for callers that need only reads (e.g. the server's usage source). */
  public static RunQueries on(Database db) {
    return new RunQueries(db, new RunStore());
  }

  /**
   * What a tenant is doing now, as its quotas count it: runs not yet finished, steps started after
   * {@code since} and the step output stored. One short read in the tenant's scope.
   */
  public Activity activity(TenantId tenant, Instant since) {
    return db.inTransaction(TenantScope.of(tenant), tx -> activity(tx, tenant, since));
  }

  /** {@link #activity(TenantId, Instant)} in the caller's transaction (scoped to the tenant). */
  public Activity activity(Tx tx, TenantId tenant, Instant since) {
    return new Activity(
        runs.activeRuns(tx, tenant),
        runs.stepsStartedSince(tx, tenant, since),
        runs.tenantOutputBytes(tx, tenant));
  }

  /**
   * @param activeRuns runs not in a terminal state
   * @param stepsStarted steps started in the window asked for
   * @param storageBytes bytes of step output the tenant's runs store (its storage quota counts
   *     them)
   */
  public record Activity(int activeRuns, int stepsStarted, long storageBytes) {}

  /** Bytes of step output the tenant's runs have stored (what its storage quota counts). */
  public long storageBytes(TenantId tenant) {
    return db.inTransaction(TenantScope.of(tenant), tx -> runs.tenantOutputBytes(tx, tenant));
  }

  public Optional<RunView> get(TenantId tenant, String runId) {
    return db.inTransaction(TenantScope.of(tenant), tx -> runs.runWithSteps(tx, tenant, runId));
  }

  /**
   * A page of runs, newest first.
   *
   * @param cursor the {@link Page#next()} of the previous page
   */
  public Page list(
      TenantId tenant,
      Optional<RunStatus> status,
      Optional<String> workflow,
      int limit,
      Optional<String> cursor) {
    int n = Math.max(1, Math.min(limit, MAX_PAGE));
    List<RunView> rows =
        db.inTransaction(
            TenantScope.of(tenant), tx -> runs.list(tx, tenant, status, workflow, cursor, n + 1));
    boolean more = rows.size() > n;
    List<RunView> page = more ? rows.subList(0, n) : rows;
    return new Page(page, more ? Optional.of(page.getLast().runId()) : Optional.empty());
  }

  /**
   * A tenant's runs that finished since {@code since}: how many, how many failed or timed out, and
   * how many took longer than {@code slow} from their start request to their end (the SLIs of the
   * service-level objectives).
   */
  public Finished finishedSince(TenantId tenant, Instant since, java.time.Duration slow) {
    return finished(tenant, since, slow, "", List.of());
  }

  /**
   * The tenant's runs that finished in {@code [since, until)}: an SLO report as of a past instant
   * (a compliance pack) counts only what had finished by then.
   */
  public Finished finishedBetween(
      TenantId tenant, Instant since, Instant until, java.time.Duration slow) {
    return finished(tenant, since, slow, " AND finished_at < ?", List.<Object>of(until));
  }

  /**
   * The runs of {@code workflow@version} that finished since {@code since} (the rollback
   * controller's error rate). Cancelled runs count as finished, not failed.
   */
  public Finished finishedSince(TenantId tenant, String workflow, String version, Instant since) {
    return finishedSince(tenant, workflow, version, since, java.time.Duration.ofDays(365));
  }

  /**
   * As {@link #finishedSince(TenantId, String, String, Instant)}, also counting the runs slower
   * than {@code slow} (a canary's latency SLO).
   */
  public Finished finishedSince(
      TenantId tenant, String workflow, String version, Instant since, java.time.Duration slow) {
    return finished(
        tenant, since, slow, " AND workflow = ? AND version = ?", List.of(workflow, version));
  }

  private Finished finished(
      TenantId tenant, Instant since, java.time.Duration slow, String filter, List<Object> args) {
    String seconds =
        db.dialect() == io.maestro.store.Dialect.POSTGRESQL
            ? "EXTRACT(EPOCH FROM (finished_at - created_at))"
            : "DATEDIFF('MILLISECOND', created_at, finished_at) / 1000.0";
    List<Object> all = new java.util.ArrayList<>();
    all.add(java.math.BigDecimal.valueOf(slow.toNanos(), 9));
    all.add(tenant.value());
    all.add(since);
    all.addAll(args);
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            tx.queryOne(
                    "SELECT count(*) AS n,"
                        + " COALESCE(SUM(CASE WHEN status IN ('FAILED', 'TIMED_OUT') THEN 1 ELSE 0"
                        + " END), 0) AS failed,"
                        + " COALESCE(SUM(CASE WHEN "
                        + seconds
                        + " > ? THEN 1 ELSE 0 END), 0) AS slow"
                        + " FROM engine_runs WHERE tenant_id = ? AND finished_at >= ?"
                        + filter,
                    rs -> new Finished(rs.getLong("n"), rs.getLong("failed"), rs.getLong("slow")),
                    all.toArray())
                .orElse(new Finished(0, 0, 0)));
  }

  /**
   * @param total runs that reached a terminal state in the window
   * @param failed of those, runs that failed or timed out
   * @param slow of those, runs that took longer than the asked duration
   */
  public record Finished(long total, long failed, long slow) {}

  /** How many runs are in each status, across all tenants (for metrics). */
  public java.util.Map<String, Long> countByStatus() {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    db.inTransaction(
            TenantScope.platform(),
            tx ->
                tx.query(
                    "SELECT status, count(*) AS n FROM engine_runs GROUP BY status",
                    rs -> java.util.Map.entry(rs.getString("status"), rs.getLong("n"))))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  /**
   * Step attempts delivered again after their lease expired (deliveries beyond the first), across
   * all tenants (for metrics).
   */
  public long redeliveries() {
    return db.inTransaction(
        TenantScope.platform(),
        tx ->
            tx.queryOne(
                    "SELECT COALESCE(SUM(deliveries - 1), 0) AS n FROM engine_steps"
                        + " WHERE deliveries > 1",
                    rs -> rs.getLong("n"))
                .orElse(0L));
  }

  /**
   * @param next the cursor of the following page, empty on the last page
   */
  public record Page(List<RunView> runs, Optional<String> next) {
    public Page {
      runs = List.copyOf(runs);
    }
  }
}
