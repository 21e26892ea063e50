package io.maestro.engine;

import io.maestro.core.TenantId;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The run logs: lines from the engine (state changes) and from tasks, in order. Lines are written
 * in their own short transactions so a reader following the log sees them as they happen, even
 * while the step is still running. Line numbers ({@code seq}) count from 1 per run, so they say
 * nothing about other runs or tenants. Thread-safe.
 */
public final class RunLogs {
  /** The longest line kept; longer lines are cut with a marker. */
  public static final int MAX_LINE = 8000;

  private final Database db;
  private final Clock clock;
  private final EngineReceipts storage;

  public RunLogs(Database db, Clock clock) {
    this(db, clock, (tx, receipts) -> {});
  }

  /**
   * @param storage hears each line's stored size in its transaction ({@link EngineReceipts#stored})
   */
  public RunLogs(Database db, Clock clock, EngineReceipts storage) {
    this.db = db;
    this.clock = clock;
    this.storage = storage;
  }

  public void append(
      TenantId tenant, String runId, Optional<String> stepId, String stream, String message) {
    db.useTransaction(
        TenantScope.of(tenant), tx -> append(tx, tenant, runId, stepId, stream, message));
  }

  /** Writes a line inside an existing transaction (engine lines about a state change). */
  public void append(
      Tx tx,
      TenantId tenant,
      String runId,
      Optional<String> stepId,
      String stream,
      String message) {
    // NUL cannot be stored in PostgreSQL text: it is written as the visible escape \u0000.
    String clean = message.replace("\0", "\\u0000");
    String m = clean.length() <= MAX_LINE ? clean : clean.substring(0, MAX_LINE - 12) + " …[cut]";
    // Line numbers count per run: the run's row holds the last one (and its lock orders writers).
    // One statement takes the next number and returns it.
    String next =
        tx.dialect() == io.maestro.store.Dialect.POSTGRESQL
            ? "UPDATE engine_runs SET log_seq = log_seq + 1 WHERE tenant_id = ? AND run_id = ?"
                + " RETURNING log_seq"
            : "SELECT log_seq FROM FINAL TABLE (UPDATE engine_runs SET log_seq = log_seq + 1"
                + " WHERE tenant_id = ? AND run_id = ?)";
    long seq =
        tx.queryOne(next, rs -> rs.getLong(1), tenant.value(), runId)
            .orElseThrow(() -> new IllegalStateException("no run " + runId + " to log for"));
    tx.update(
        "INSERT INTO engine_run_logs (tenant_id, run_id, run_seq, step_id, at, stream, message)"
            + " VALUES (?,?,?,?,?,?,?)",
        tenant.value(),
        runId,
        seq,
        stepId.orElse(null),
        clock.instant(),
        stream,
        m);
    storage.stored(
        tx,
        tenant,
        runId,
        runId + "/log/" + seq,
        m.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  /** Up to {@code limit} lines of a run with {@code seq > after}, oldest first. */
  public List<LogLine> read(TenantId tenant, String runId, long after, int limit) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            tx.query(
                // The ORDER BY names the whole index (tenant_id, run_id, run_seq): H2 then reads
                // the page in index order and stops at the limit. Ordered by run_seq alone it
                // sorted every remaining line of the run for each page, so reading a 1 GB log
                // page by page took hours; PostgreSQL plans both forms the same.
                "SELECT run_seq, at, run_id, step_id, stream, message FROM engine_run_logs"
                    + " WHERE tenant_id = ? AND run_id = ? AND run_seq > ?"
                    + " ORDER BY tenant_id, run_id, run_seq LIMIT ?",
                rs ->
                    new LogLine(
                        rs.getLong("run_seq"),
                        Tx.instant(rs, "at"),
                        rs.getString("run_id"),
                        Optional.ofNullable(rs.getString("step_id")),
                        rs.getString("stream"),
                        rs.getString("message")),
                tenant.value(),
                runId,
                after,
                limit));
  }
}
