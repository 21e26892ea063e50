package io.maestro.engine.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.internal.Advancer;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.internal.RunStore;
import io.maestro.engine.internal.Transitions;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.util.Optional;

/**
 * Pauses and resumes runs (a kill switch in pause mode, ADR 0041). Pausing moves the run to PAUSED
 * and holds its queued attempts and wake-ups in one transaction: from its commit no engine anywhere
 * claims them. Attempts already running finish and are recorded; no successor is queued while the
 * run is paused. Resuming moves it back to RUNNING, releases its rows and queues what became ready
 * meanwhile, in one transaction.
 *
 * <p>Both are idempotent: pausing a paused run or resuming one that is not paused changes nothing
 * and writes no receipt ({@link Outcome#changed()} is false), so two servers applying the same
 * switch agree. Whether a run may be paused or resumed is the caller's policy decision, carried in
 * the {@link Authorization} and bound to the run's receipt.
 */
public final class PauseRunHandler {
  private final Database db;
  private final RunStore runs;
  private final Transitions transitions;
  private final Advancer advancer;
  private final WorkQueue queue;
  private final WorkflowRegistry registry;
  private final ReceiptWriter receipts;

  public PauseRunHandler(
      Database db,
      RunStore runs,
      Transitions transitions,
      Advancer advancer,
      WorkQueue queue,
      WorkflowRegistry registry,
      ReceiptWriter receipts) {
    this.db = db;
    this.runs = runs;
    this.transitions = transitions;
    this.advancer = advancer;
    this.queue = queue;
    this.registry = registry;
    this.receipts = receipts;
  }

  /** The run's status afterwards, and whether this call changed it. */
  public record Outcome(RunStatus status, boolean changed) {}

  /**
   * Pauses a pending or running run; {@code payload} goes into its {@code run.paused} receipt.
   *
   * @throws MaestroException {@code run_not_found}, or {@code run_finished} when it already ended
   */
  public Outcome pause(Authorization auth, TenantId tenant, String runId, ObjectNode payload) {
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          RunView run = open(tx, tenant, runId);
          if (run.status() == RunStatus.PAUSED) {
            return new Outcome(RunStatus.PAUSED, false);
          }
          RunView paused =
              transitions.run(tx, run, RunStatus.Event.PAUSE, Optional.empty(), auth, payload);
          queue.holdRun(tx, tenant, runId);
          return new Outcome(paused.status(), true);
        });
  }

  /**
   * Resumes a paused run; {@code payload} goes into its {@code run.resumed} receipt.
   *
   * @throws MaestroException {@code run_not_found}, or {@code run_finished} when it already ended
   */
  public Outcome resume(Authorization auth, TenantId tenant, String runId, ObjectNode payload) {
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          RunView run = open(tx, tenant, runId);
          if (run.status() != RunStatus.PAUSED) {
            return new Outcome(run.status(), false);
          }
          RunView resumed =
              transitions.run(tx, run, RunStatus.Event.RESUME, Optional.empty(), auth, payload);
          queue.releaseRun(tx, tenant, runId);
          // Steps whose needs finished while it was paused were left PENDING: queue them now.
          RunView after =
              advancer.advance(
                  tx,
                  resumed,
                  registry.manifest(tx, tenant, run.workflow(), run.version(), run.digest()));
          return new Outcome(after.status(), true);
        });
  }

  private RunView open(io.maestro.store.Tx tx, TenantId tenant, String runId) {
    RunView run =
        runs.run(tx, tenant, runId, true)
            .orElseThrow(() -> MaestroException.of(EngineErrors.RUN_NOT_FOUND, "no run " + runId));
    if (run.status().terminal()) {
      throw MaestroException.of(
          EngineErrors.RUN_FINISHED, "run " + runId + " already ended " + run.status());
    }
    return run;
  }
}
