package io.maestro.engine.run;

import io.maestro.core.TenantId;
import io.maestro.core.purge.PurgedItem;
import io.maestro.core.purge.RowDigest;
import io.maestro.engine.internal.RunStore;
import io.maestro.store.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Deletes a tenant's run data for a purge, in the caller's transaction: finished runs (ended before
 * a time) with their steps, logs, approvals and queue rows; or, for an offboarded tenant, every run
 * and every workflow. Returns what it deleted, one {@link PurgedItem} per row with the digest of
 * the row as it was. Only the engine deletes its rows; other modules call this.
 *
 * <p>Runs that have not finished are never deleted by a time-bounded purge, so a purge cannot pull
 * a run out from under a worker. Thread-safe (stateless).
 */
public final class RunPurge {
  /** Runs deleted per statement batch: keeps the IN lists short on both backends. */
  private static final int CHUNK = 200;

  private final RunStore store = new RunStore();

  private static final String FINISHED_BEFORE =
      " FROM engine_runs WHERE tenant_id = ?"
          + " AND status IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')"
          + " AND finished_at < ?";

  /** Deletes runs of {@code tenant} that finished before {@code before}. */
  public List<PurgedItem> finishedBefore(Tx tx, TenantId tenant, Instant before) {
    return finishedBefore(tx, tenant, before, Integer.MAX_VALUE);
  }

  /**
   * Deletes at most {@code limit} runs of {@code tenant} that finished before {@code before} (the
   * oldest first), with their steps, logs, approvals and queue rows: one bounded batch of a
   * retention job.
   */
  public List<PurgedItem> finishedBefore(Tx tx, TenantId tenant, Instant before, int limit) {
    List<String[]> runs =
        tx.query(
            "SELECT run_id, output_bytes"
                + FINISHED_BEFORE
                + " ORDER BY finished_at, run_id"
                + (limit == Integer.MAX_VALUE ? "" : " LIMIT " + Math.max(1, limit)),
            rs -> new String[] {rs.getString(1), Long.toString(rs.getLong(2))},
            tenant.value(),
            before);
    for (String[] r : runs) {
      // Keep the tenant's storage counter equal to what its remaining runs hold.
      store.addOutputBytes(tx, tenant, r[0], -Long.parseLong(r[1]));
    }
    return deleteRuns(tx, tenant, runs.stream().map(r -> r[0]).toList());
  }

  /**
   * Deletes at most {@code limit} log lines of runs of {@code tenant} that finished before {@code
   * before}; the runs, their steps and outputs stay. One bounded batch of a retention job.
   */
  public List<PurgedItem> logsOfRunsFinishedBefore(
      Tx tx, TenantId tenant, Instant before, int limit) {
    List<Long> seqs =
        tx.query(
            "SELECT l.seq FROM engine_run_logs l WHERE l.tenant_id = ? AND l.run_id IN"
                + " (SELECT run_id"
                + FINISHED_BEFORE
                + ") ORDER BY l.seq LIMIT "
                + Math.max(1, limit),
            rs -> rs.getLong(1),
            tenant.value(),
            tenant.value(),
            before);
    List<PurgedItem> out = new ArrayList<>();
    for (int i = 0; i < seqs.size(); i += CHUNK) {
      List<Long> chunk = seqs.subList(i, Math.min(seqs.size(), i + CHUNK));
      String in = "seq IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
      out.addAll(
          deleteWhere(
              tx, "run_logs", "engine_run_logs", "seq", tenant, Optional.of(new Chunk(in, chunk))));
    }
    return out;
  }

  /** Deletes every run and workflow of {@code tenant} (offboarding). */
  public List<PurgedItem> everything(Tx tx, TenantId tenant) {
    List<String> runs =
        tx.query(
            "SELECT run_id FROM engine_runs WHERE tenant_id = ? ORDER BY run_id",
            rs -> rs.getString(1),
            tenant.value());
    List<PurgedItem> out = new ArrayList<>(deleteRuns(tx, tenant, runs));
    out.addAll(
        deleteWhere(
            tx,
            "workflow_versions",
            "engine_workflow_versions",
            "name || '@' || version",
            tenant,
            Optional.empty()));
    out.addAll(deleteWhere(tx, "workflows", "engine_workflows", "name", tenant, Optional.empty()));
    out.addAll(
        deleteWhere(
            tx, "storage_counters", "engine_tenant_storage", "shard", tenant, Optional.empty()));
    return out;
  }

  private List<PurgedItem> deleteRuns(Tx tx, TenantId tenant, List<String> runIds) {
    List<PurgedItem> out = new ArrayList<>();
    for (int i = 0; i < runIds.size(); i += CHUNK) {
      List<String> chunk = runIds.subList(i, Math.min(runIds.size(), i + CHUNK));
      String in = "run_id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
      Optional<Chunk> c = Optional.of(new Chunk(in, chunk));
      out.addAll(deleteWhere(tx, "run_logs", "engine_run_logs", "seq", tenant, c));
      out.addAll(
          deleteWhere(
              tx,
              "approvals",
              "engine_approvals",
              "run_id || '/' || step_id || '/' || attempt || '/' || approver",
              tenant,
              c));
      out.addAll(deleteWhere(tx, "queue", "engine_work", "work_id", tenant, c));
      out.addAll(deleteWhere(tx, "steps", "engine_steps", "run_id || '/' || step_id", tenant, c));
      out.addAll(deleteWhere(tx, "runs", "engine_runs", "run_id", tenant, c));
    }
    return out;
  }

  /** A condition on the rows of one batch and the values its placeholders bind. */
  private record Chunk(String condition, List<?> values) {}

  /** Reads the matching rows (their key and digest), then deletes exactly them. */
  private static List<PurgedItem> deleteWhere(
      Tx tx, String dataClass, String table, String key, TenantId tenant, Optional<Chunk> chunk) {
    String where = " WHERE tenant_id = ?" + chunk.map(c -> " AND " + c.condition()).orElse("");
    List<Object> args = new ArrayList<>();
    args.add(tenant.value());
    chunk.ifPresent(c -> args.addAll(c.values()));
    Object[] a = args.toArray();
    List<PurgedItem> items =
        tx.query(
            "SELECT " + key + " AS purge_key, t.* FROM " + table + " t" + where,
            rs -> {
              String k = rs.getString("purge_key");
              return new PurgedItem(dataClass, k, RowDigest.of(rs, "purge_key"));
            },
            a);
    int deleted = tx.update("DELETE FROM " + table + where, a);
    if (deleted != items.size()) {
      // Nothing else deletes a tenant's rows; a difference means a concurrent writer, so roll back.
      throw new IllegalStateException(
          table + ": read " + items.size() + " rows to purge but deleted " + deleted);
    }
    return items;
  }
}
