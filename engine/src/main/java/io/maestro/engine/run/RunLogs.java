package io.maestro.engine.run;

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
 * while the step is still running. Thread-safe.
 */
public final class RunLogs {
  /** The longest line kept; longer lines are cut with a marker. */
  public static final int MAX_LINE = 8000;

  private final Database db;
  private final Clock clock;

  public RunLogs(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
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
    String m =
        message.length() <= MAX_LINE ? message : message.substring(0, MAX_LINE - 12) + " …[cut]";
    tx.update(
        "INSERT INTO engine_run_logs (tenant_id, run_id, step_id, at, stream, message)"
            + " VALUES (?,?,?,?,?,?)",
        tenant.value(),
        runId,
        stepId.orElse(null),
        clock.instant(),
        stream,
        m);
  }

  /** Up to {@code limit} lines of a run with {@code seq > after}, oldest first. */
  public List<LogLine> read(TenantId tenant, String runId, long after, int limit) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            tx.query(
                "SELECT seq, at, run_id, step_id, stream, message FROM engine_run_logs"
                    + " WHERE tenant_id = ? AND run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                rs ->
                    new LogLine(
                        rs.getLong("seq"),
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
