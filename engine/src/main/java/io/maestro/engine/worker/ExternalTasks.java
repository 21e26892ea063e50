package io.maestro.engine.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.JsonText;
import io.maestro.engine.OutputLimits;
import io.maestro.engine.StepStatus;
import io.maestro.engine.expr.JsonSize;
import io.maestro.engine.internal.JsonSchemas;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.TaskSpec;
import io.maestro.engine.queue.Held;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.engine.worker.Attempts.Prepared;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The task-queue API of external workers (ADR 0024). A poll claims due rows of {@code
 * worker/<queue>} steps with the engine's own lease columns and runs phase 1 of the attempt ({@link
 * ExecuteHandler}: START or REDELIVER, timeout timer, {@code with} evaluated) under the worker's
 * policy decision; heartbeats extend the lease; complete and fail run phase 3 (the outcome, the run
 * moving on) in one transaction that first checks the caller still holds the lease. A lease that
 * runs out makes the row claimable again, and the next poll redelivers the attempt exactly as an
 * engine worker would; after {@link ExecuteHandler#MAX_DELIVERIES} deliveries the step fails.
 * Thread-safe.
 */
public final class ExternalTasks {
  /** The longest a poll waits for work. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  /** The most tasks one poll leases. */
  public static final int MAX_BATCH = 100;

  private static final Pattern WORKER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:/-]{0,79}");
  private static final Pattern TASK_ID = Pattern.compile("([A-Za-z0-9_-]{1,40})\\.([0-9]{1,6})");
  private static final Duration RECHECK = Duration.ofSeconds(1);

  private final Database db;
  private final ReceiptWriter receipts;
  private final WorkQueue queue;
  private final ExecuteHandler execute;
  private final Attempts attempts;
  private final OutputLimits limits;
  private final Duration lease;
  private final JsonSchemas schemas = new JsonSchemas();

  ExternalTasks(
      Database db,
      ReceiptWriter receipts,
      WorkQueue queue,
      ExecuteHandler execute,
      Attempts attempts,
      OutputLimits limits,
      Duration lease) {
    this.db = db;
    this.receipts = receipts;
    this.queue = queue;
    this.execute = execute;
    this.attempts = attempts;
    this.limits = limits;
    this.lease = lease;
  }

  /** How long a poll's lease lasts unless a heartbeat extends it. */
  public Duration lease() {
    return lease;
  }

  /** Whether {@code worker} is a valid worker identity (letters, digits, {@code ._@:/-}). */
  public static boolean validWorker(String worker) {
    return worker != null && WORKER.matcher(worker).matches();
  }

  /**
   * Leases up to {@code max} due tasks of {@code queues} to {@code worker}, waiting up to {@code
   * wait} for one to arrive. Each lease is the step's START (or REDELIVER) transition, receipted
   * under {@code by} and naming the worker.
   *
   * @return the leased tasks; empty when none arrived in time
   */
  public List<ExternalTask> poll(
      Authorization by, TenantId tenant, String worker, List<String> queues, int max, Duration wait)
      throws InterruptedException {
    String owner = "ext:" + worker;
    Instant deadline = attempts.clock().instant().plus(wait);
    while (true) {
      long seen = queue.externalSignal().generation();
      List<ExternalTask> out = new ArrayList<>();
      for (Held h :
          queue.claimExternal(tenant, queues, owner, max, attempts.clock().instant(), lease)) {
        ObjectNode note = JsonText.object().put("worker", worker).put("queue", h.queue());
        Optional<Prepared> p =
            receipts.inTransaction(
                db, TenantScope.of(tenant), tx -> execute.prepare(tx, h.item(), owner, by, note));
        p.ifPresent(prepared -> out.add(task(h, prepared)));
      }
      Duration left = Duration.between(attempts.clock().instant(), deadline);
      if (!out.isEmpty() || left.isNegative() || left.isZero()) {
        return out;
      }
      // Other servers' work arrives without this process's signal: look again every second.
      queue.externalSignal().await(seen, left.compareTo(RECHECK) < 0 ? left : RECHECK);
    }
  }

  private static ExternalTask task(Held h, Prepared p) {
    var ctx = p.context();
    Object input = ctx.with().get("input");
    return new ExternalTask(
        h.item().workId() + "." + h.item().claims(),
        h.queue(),
        ctx.runId(),
        ctx.stepId(),
        ctx.workflow(),
        ctx.attempt(),
        ctx.delivery(),
        ctx.idempotencyKey(),
        input == null ? JsonText.object() : JsonText.tree(input),
        h.until().orElseThrow(),
        h.item().traceParent());
  }

  /** The queue of a task this tenant has leased out, for the policy to judge the caller by. */
  public String queueOf(TenantId tenant, String taskId) {
    TaskRef ref = TaskRef.parse(taskId);
    return db.inTransaction(TenantScope.of(tenant), tx -> held(tx, tenant, ref).queue());
  }

  /**
   * Extends the task's lease by {@link #lease()} from now.
   *
   * @return the new end of the lease
   */
  public Instant heartbeat(TenantId tenant, String taskId) {
    TaskRef ref = TaskRef.parse(taskId);
    String owner =
        db.inTransaction(TenantScope.of(tenant), tx -> held(tx, tenant, ref).owner().orElseThrow());
    Instant until = attempts.clock().instant().plus(lease);
    if (!queue.heartbeatExternal(tenant, ref.workId(), ref.claims(), owner, until)) {
      throw notHeld(taskId);
    }
    return until;
  }

  /**
   * Records the task's outputs: checked against the step output limit and the task's {@code
   * output_schema}, then the step succeeds and its run moves on, all in one transaction. Nothing is
   * written when any check fails.
   *
   * @return the step's status afterwards (SUCCEEDED, or FAILED when the run cannot store it)
   */
  public StepStatus complete(
      Authorization by, TenantId tenant, String worker, String taskId, JsonNode outputs) {
    long size = JsonSize.of(outputs);
    if (size > limits.maxStepBytes()) {
      throw MaestroException.of(
          EngineErrors.WORKER_OUTPUT_TOO_LARGE,
          "the outputs are "
              + size
              + " bytes, more than the limit of "
              + limits.maxStepBytes()
              + " (engine.maxStepOutputBytes)");
    }
    return settle(
        by,
        tenant,
        worker,
        taskId,
        spec -> {
          checkSchema(spec, outputs);
          return new TaskOutcome.Succeeded(JsonText.MAPPER.convertValue(outputs, Object.class));
        });
  }

  /**
   * Records the task's failure. A retryable one is a platform error the task's retry policy may
   * retry; any other is a user error that fails the step for good.
   */
  public StepStatus fail(
      Authorization by,
      TenantId tenant,
      String worker,
      String taskId,
      String error,
      boolean retryable) {
    String message = "worker " + worker + ": " + error;
    return settle(
        by,
        tenant,
        worker,
        taskId,
        spec ->
            retryable
                ? new TaskOutcome.Failed(ErrorKind.PLATFORM, message)
                : new TaskOutcome.Failed(ErrorKind.USER, message, true));
  }

  private interface Outcome {
    TaskOutcome of(TaskSpec spec);
  }

  private StepStatus settle(
      Authorization by, TenantId tenant, String worker, String taskId, Outcome outcome) {
    TaskRef ref = TaskRef.parse(taskId);
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          Held h = held(tx, tenant, ref);
          WorkItem item = h.item();
          Attempts.Current current =
              attempts
                  .load(tx, item)
                  .filter(a -> a.holds(item) && a.step().status() == StepStatus.RUNNING)
                  .orElseThrow(() -> notHeld(taskId));
          TaskSpec spec =
              attempts.manifest(tx, current).task(current.step().stepId()).orElseThrow();
          TaskOutcome result = outcome.of(spec);
          if (!queue.complete(tx, item, h.owner().orElseThrow(() -> notHeld(taskId)))) {
            throw notHeld(taskId);
          }
          ObjectNode note =
              JsonText.object().put("worker", worker).put("queue", h.queue()).put("task", taskId);
          attempts
              .applier()
              .apply(
                  tx,
                  current.run(),
                  attempts.manifest(tx, current),
                  current.step(),
                  result,
                  by,
                  note);
          return attempts
              .runs()
              .step(tx, tenant, item.runId(), item.stepId())
              .map(s -> s.status())
              .orElseThrow();
        });
  }

  private void checkSchema(TaskSpec spec, JsonNode outputs) {
    JsonNode schema = spec.with().path("output_schema");
    if (!schema.isObject()) {
      return;
    }
    schemas.check(schema, outputs, EngineErrors.WORKER_OUTPUT_INVALID);
  }

  /** The row a task id names, as long as that lease is still the row's latest claim. */
  private Held held(Tx tx, TenantId tenant, TaskRef ref) {
    return queue
        .held(tx, tenant, ref.workId())
        .filter(h -> h.item().claims() == ref.claims() && h.owner().isPresent())
        .orElseThrow(() -> notHeld(ref.workId() + "." + ref.claims()));
  }

  private static MaestroException notHeld(String taskId) {
    return MaestroException.of(
        EngineErrors.WORKER_TASK_NOT_HELD,
        "task "
            + taskId
            + " is not held by this worker: it was completed or failed already, redelivered"
            + " after its lease ran out, or its run ended");
  }

  /** A task id: the queue row and the claim that leased it. */
  private record TaskRef(String workId, int claims) {
    static TaskRef parse(String taskId) {
      var m = taskId == null ? null : TASK_ID.matcher(taskId);
      if (m == null || !m.matches()) {
        throw MaestroException.of(EngineErrors.WORKER_REQUEST_INVALID, "not a task id: " + taskId);
      }
      return new TaskRef(m.group(1), Integer.parseInt(m.group(2)));
    }
  }
}
