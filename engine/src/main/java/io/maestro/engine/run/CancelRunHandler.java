package io.maestro.engine.run;

import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.internal.Advancer;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.internal.RunStore;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;

/**
 * Cancels a run: unfinished steps become CANCELLED and the run's queue rows are deleted in one
 * transaction. A worker still executing an attempt of the run loses its lease at the next
 * heartbeat, is interrupted, and its result is discarded.
 */
public final class CancelRunHandler {
  private final Database db;
  private final RunStore runs;
  private final Advancer advancer;
  private final ReceiptWriter receipts;

  public CancelRunHandler(Database db, RunStore runs, Advancer advancer, ReceiptWriter receipts) {
    this.db = db;
    this.runs = runs;
    this.advancer = advancer;
    this.receipts = receipts;
  }

  /**
   * @throws MaestroException {@code run_not_found}, or {@code run_finished} when it already ended
   */
  public RunStatus handle(Authorization auth, TenantId tenant, String runId, String reason) {
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          RunView run =
              runs.run(tx, tenant, runId, true)
                  .orElseThrow(
                      () -> MaestroException.of(EngineErrors.RUN_NOT_FOUND, "no run " + runId));
          if (run.status().terminal()) {
            throw MaestroException.of(
                EngineErrors.RUN_FINISHED, "run " + runId + " already ended " + run.status());
          }
          String why =
              "cancelled by "
                  + auth.actor().subject()
                  + (reason == null || reason.isBlank() ? "" : ": " + reason);
          return advancer.cancel(tx, run, auth, why).status();
        });
  }
}
