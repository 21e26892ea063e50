package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.engine.Authorization;
import io.maestro.engine.JsonText;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for runs and steps. Every statement is scoped by tenant. */
public final class RunStore {
  private static final String RUN_COLUMNS =
      "tenant_id, run_id, workflow, version, digest, status, inputs, error, started_by,"
          + " decision_id, admission, idempotency_key, parent_run_id, parent_step_id, created_at,"
          + " started_at, finished_at, run_trigger";
  private static final String STEP_COLUMNS =
      "step_id, position, uses, status, attempt, deliveries, duplicates, outputs, wait_state,"
          + " error, error_kind, ready_at, started_at, finished_at";

  /** A new run row. */
  public record NewRun(
      TenantId tenant,
      String runId,
      String workflow,
      String version,
      String digest,
      JsonNode inputs,
      String startedBy,
      Optional<Decision> admission,
      Optional<String> idempotencyKey,
      Optional<String> requestDigest,
      Optional<RunView.StepRef> parent,
      Instant createdAt,
      String trigger) {}

  /**
   * Inserts a run unless its idempotency key is taken.
   *
   * @return false when another run already holds the key
   */
  public boolean insertRun(Tx tx, NewRun r) {
    return tx.update(
            "INSERT INTO engine_runs ("
                + RUN_COLUMNS
                + ", request_digest) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT DO NOTHING",
            r.tenant().value(),
            r.runId(),
            r.workflow(),
            r.version(),
            r.digest(),
            RunStatus.PENDING.name(),
            JsonText.json(r.inputs()),
            null,
            r.startedBy(),
            r.admission().map(Decision::id).orElse(Authorization.SYSTEM),
            r.admission().map(d -> d.toJson().toString()).orElse(null),
            r.idempotencyKey().orElse(null),
            r.parent().map(RunView.StepRef::runId).orElse(null),
            r.parent().map(RunView.StepRef::stepId).orElse(null),
            r.createdAt(),
            null,
            null,
            r.trigger(),
            r.requestDigest().orElse(null))
        == 1;
  }

  /** Runs of the tenant not yet in a terminal state. */
  public int activeRuns(Tx tx, TenantId tenant) {
    List<String> active =
        java.util.Arrays.stream(RunStatus.values())
            .filter(st -> !st.terminal())
            .map(Enum::name)
            .toList();
    String marks = String.join(", ", java.util.Collections.nCopies(active.size(), "?"));
    List<Object> args = new ArrayList<>();
    args.add(tenant.value());
    args.addAll(active);
    return tx.queryOne(
            "SELECT count(*) AS n FROM engine_runs WHERE tenant_id = ? AND status IN ("
                + marks
                + ")",
            rs -> rs.getInt("n"),
            args.toArray())
        .orElse(0);
  }

  /** Steps of the tenant that started after {@code since}. */
  public int stepsStartedSince(Tx tx, TenantId tenant, Instant since) {
    return tx.queryOne(
            "SELECT count(*) AS n FROM engine_steps WHERE tenant_id = ? AND started_at > ?",
            rs -> rs.getInt("n"),
            tenant.value(),
            since)
        .orElse(0);
  }

  /** The run holding an idempotency key and the digest of the request that created it. */
  public Optional<KeyedRun> findByKey(Tx tx, TenantId tenant, String key) {
    return tx.queryOne(
        "SELECT run_id, request_digest FROM engine_runs WHERE tenant_id = ? AND idempotency_key = ?",
        rs -> new KeyedRun(rs.getString("run_id"), rs.getString("request_digest")),
        tenant.value(),
        key);
  }

  public record KeyedRun(String runId, String requestDigest) {}

  /** The run without its steps; {@code lock} takes a row lock that serializes its transitions. */
  public Optional<RunView> run(Tx tx, TenantId tenant, String runId, boolean lock) {
    return tx.queryOne(
        "SELECT "
            + RUN_COLUMNS
            + " FROM engine_runs WHERE tenant_id = ? AND run_id = ?"
            + (lock ? " FOR UPDATE" : ""),
        rs -> mapRun(rs, List.of()),
        tenant.value(),
        runId);
  }

  /** The run with its steps. */
  public Optional<RunView> runWithSteps(Tx tx, TenantId tenant, String runId) {
    return run(tx, tenant, runId, false)
        .map(
            r ->
                new RunView(
                    r.tenant(),
                    r.runId(),
                    r.workflow(),
                    r.version(),
                    r.digest(),
                    r.status(),
                    r.inputs(),
                    r.error(),
                    r.startedBy(),
                    r.decisionId(),
                    r.admission(),
                    r.idempotencyKey(),
                    r.parent(),
                    r.trigger(),
                    r.createdAt(),
                    r.startedAt(),
                    r.finishedAt(),
                    steps(tx, tenant, runId)));
  }

  /** Runs newest first, after {@code cursor} (a run id) when given. */
  public List<RunView> list(
      Tx tx,
      TenantId tenant,
      Optional<RunStatus> status,
      Optional<String> workflow,
      Optional<String> cursor,
      int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT " + RUN_COLUMNS + " FROM engine_runs WHERE tenant_id = ?");
    List<Object> args = new ArrayList<>();
    args.add(tenant.value());
    status.ifPresent(
        s -> {
          sql.append(" AND status = ?");
          args.add(s.name());
        });
    workflow.ifPresent(
        w -> {
          sql.append(" AND workflow = ?");
          args.add(w);
        });
    cursor.ifPresent(
        c -> {
          sql.append(" AND run_id < ?");
          args.add(c);
        });
    // Name the whole index the filter uses, newest first: H2 then reads the page off its
    // descending index (see V202612051600) instead of sorting every run of the tenant.
    sql.append(
        status.isPresent()
            ? " ORDER BY tenant_id DESC, status DESC, run_id DESC LIMIT ?"
            : workflow.isPresent()
                ? " ORDER BY tenant_id DESC, workflow DESC, run_id DESC LIMIT ?"
                : " ORDER BY tenant_id DESC, run_id DESC LIMIT ?");
    args.add(limit);
    return tx.query(sql.toString(), rs -> mapRun(rs, List.of()), args.toArray());
  }

  public void updateRun(
      Tx tx,
      TenantId tenant,
      String runId,
      RunStatus status,
      Optional<String> error,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt) {
    tx.update(
        "UPDATE engine_runs SET status = ?, error = ?, started_at = COALESCE(started_at, ?),"
            + " finished_at = ? WHERE tenant_id = ? AND run_id = ?",
        status.name(),
        error.map(RunStore::clip).orElse(null),
        startedAt.orElse(null),
        finishedAt.orElse(null),
        tenant.value(),
        runId);
  }

  public void insertStep(Tx tx, TenantId tenant, String runId, StepView s) {
    tx.update(
        "INSERT INTO engine_steps (tenant_id, run_id, "
            + STEP_COLUMNS
            + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        tenant.value(),
        runId,
        s.stepId(),
        s.position(),
        s.uses(),
        s.status().name(),
        s.attempt(),
        s.deliveries(),
        s.duplicates(),
        jsonOrNull(s.outputs()),
        jsonOrNull(s.waitState()),
        s.error().map(RunStore::clip).orElse(null),
        s.errorKind().map(Enum::name).orElse(null),
        s.readyAt().orElse(null),
        s.startedAt().orElse(null),
        s.finishedAt().orElse(null));
  }

  public void updateStep(Tx tx, TenantId tenant, String runId, StepView s) {
    tx.update(
        "UPDATE engine_steps SET status = ?, attempt = ?, deliveries = ?, duplicates = ?,"
            + " outputs = ?, wait_state = ?, error = ?, error_kind = ?, ready_at = ?,"
            + " started_at = ?, finished_at = ? WHERE tenant_id = ? AND run_id = ? AND step_id = ?",
        s.status().name(),
        s.attempt(),
        s.deliveries(),
        s.duplicates(),
        jsonOrNull(s.outputs()),
        jsonOrNull(s.waitState()),
        s.error().map(RunStore::clip).orElse(null),
        s.errorKind().map(Enum::name).orElse(null),
        s.readyAt().orElse(null),
        s.startedAt().orElse(null),
        s.finishedAt().orElse(null),
        tenant.value(),
        runId,
        s.stepId());
  }

  public List<StepView> steps(Tx tx, TenantId tenant, String runId) {
    return tx.query(
        "SELECT "
            + STEP_COLUMNS
            + " FROM engine_steps WHERE tenant_id = ? AND run_id = ? ORDER BY position",
        RunStore::mapStep,
        tenant.value(),
        runId);
  }

  public Optional<StepView> step(Tx tx, TenantId tenant, String runId, String stepId) {
    return tx.queryOne(
        "SELECT "
            + STEP_COLUMNS
            + " FROM engine_steps WHERE tenant_id = ? AND run_id = ? AND step_id = ?",
        RunStore::mapStep,
        tenant.value(),
        runId,
        stepId);
  }

  private static Tx.Json jsonOrNull(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : JsonText.json(n);
  }

  static String clip(String s) {
    return s.length() <= 4000 ? s : s.substring(0, 3990) + "…";
  }

  private static RunView mapRun(ResultSet rs, List<StepView> steps) throws SQLException {
    String parentRun = rs.getString("parent_run_id");
    return new RunView(
        TenantId.of(rs.getString("tenant_id")),
        rs.getString("run_id"),
        rs.getString("workflow"),
        rs.getString("version"),
        rs.getString("digest"),
        RunStatus.valueOf(rs.getString("status")),
        JsonText.read(rs.getString("inputs")),
        Optional.ofNullable(rs.getString("error")),
        rs.getString("started_by"),
        rs.getString("decision_id"),
        Optional.ofNullable(JsonText.read(rs.getString("admission"))).map(Decision::fromJson),
        Optional.ofNullable(rs.getString("idempotency_key")),
        parentRun == null
            ? Optional.empty()
            : Optional.of(new RunView.StepRef(parentRun, rs.getString("parent_step_id"))),
        rs.getString("run_trigger"),
        Tx.instant(rs, "created_at"),
        Optional.ofNullable(Tx.instant(rs, "started_at")),
        Optional.ofNullable(Tx.instant(rs, "finished_at")),
        steps);
  }

  private static StepView mapStep(ResultSet rs) throws SQLException {
    String kind = rs.getString("error_kind");
    JsonNode outputs = JsonText.read(rs.getString("outputs"));
    JsonNode wait = JsonText.read(rs.getString("wait_state"));
    return new StepView(
        rs.getString("step_id"),
        rs.getInt("position"),
        rs.getString("uses"),
        StepStatus.valueOf(rs.getString("status")),
        rs.getInt("attempt"),
        rs.getInt("deliveries"),
        rs.getInt("duplicates"),
        outputs == null ? JsonText.tree(null) : outputs,
        wait == null ? JsonText.tree(null) : wait,
        Optional.ofNullable(rs.getString("error")),
        kind == null ? Optional.empty() : Optional.of(ErrorKind.valueOf(kind)),
        Optional.ofNullable(Tx.instant(rs, "ready_at")),
        Optional.ofNullable(Tx.instant(rs, "started_at")),
        Optional.ofNullable(Tx.instant(rs, "finished_at")));
  }

  /** Bytes of step output a run has stored. */
  public long outputBytes(Tx tx, TenantId tenant, String runId) {
    return tx.queryOne(
            "SELECT output_bytes FROM engine_runs WHERE tenant_id = ? AND run_id = ?",
            rs -> rs.getLong(1),
            tenant.value(),
            runId)
        .orElse(0L);
  }

  /**
   * Bytes of step output all of a tenant's runs have stored: the sum of the tenant's counter shards
   * (at most {@value #STORAGE_SHARDS} rows), kept by {@link #addOutputBytes}.
   */
  public long tenantOutputBytes(Tx tx, TenantId tenant) {
    return tx.queryOne(
            "SELECT COALESCE(SUM(output_bytes), 0) FROM engine_tenant_storage WHERE tenant_id = ?",
            rs -> rs.getLong(1),
            tenant.value())
        .orElse(0L);
  }

  /** Shards of a tenant's storage counter: concurrent step completions rarely share a row. */
  static final int STORAGE_SHARDS = 64;

  /** Adds {@code bytes} to the run's stored output and to its tenant's storage counter. */
  public void addOutputBytes(Tx tx, TenantId tenant, String runId, long bytes) {
    if (bytes == 0) {
      return;
    }
    tx.update(
        "UPDATE engine_runs SET output_bytes = output_bytes + ? WHERE tenant_id = ? AND run_id = ?",
        bytes,
        tenant.value(),
        runId);
    int shard = Math.floorMod(runId.hashCode(), STORAGE_SHARDS);
    String add =
        "UPDATE engine_tenant_storage SET output_bytes = output_bytes + ?"
            + " WHERE tenant_id = ? AND shard = ?";
    if (tx.update(add, bytes, tenant.value(), shard) == 1) {
      return;
    }
    int inserted =
        tx.update(
            "INSERT INTO engine_tenant_storage (tenant_id, shard, output_bytes) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING",
            tenant.value(),
            shard,
            bytes);
    if (inserted == 0 && tx.update(add, bytes, tenant.value(), shard) != 1) {
      // A concurrent transaction created the row first; the second update adds to it.
      throw new IllegalStateException("the storage counter row of " + tenant + " vanished");
    }
  }
}
