package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineReceipts;
import io.maestro.engine.run.RunStatus;
import io.maestro.engine.run.StepStatus;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Turns engine state changes into receipts, always inside the transaction of the change. Every
 * transition has its own type from the provenance catalogue ({@link #runType}, {@link #stepType});
 * the exact edge is also in {@code action} and the payload ({@code from}, {@code event}, {@code
 * to}).
 */
public final class ReceiptWriter {
  private final EngineReceipts sink;
  // Receipts of transactions opened through inTransaction, appended together just before commit:
  // the provenance log locks the tenant's log head from the first append to the commit, so
  // appending last keeps that lock (which serializes the tenant's writers) as short as possible.
  private final Map<Tx, List<EngineReceipts.Receipt>> pending = new ConcurrentHashMap<>();

  // Bounds how many engine transactions wait for a pooled connection at once. Hundreds of virtual
  // threads queueing inside the pool make its hand-off spin; queueing here, in a fair semaphore,
  // costs nothing and leaves connections for the HTTP side.
  private final Semaphore gate;

  public ReceiptWriter(EngineReceipts sink, int concurrentTransactions) {
    this.sink = sink;
    this.gate = new Semaphore(Math.max(1, concurrentTransactions), true);
  }

  /**
   * Runs {@code work} in one transaction whose receipts are appended in one batch at its end, still
   * inside the transaction. Every engine transaction that changes state goes through here.
   */
  public <T> T inTransaction(Database db, TenantScope scope, Database.TxFunction<T> work) {
    gate.acquireUninterruptibly();
    try {
      return transaction(db, scope, work);
    } finally {
      gate.release();
    }
  }

  private <T> T transaction(Database db, TenantScope scope, Database.TxFunction<T> work) {
    return db.inTransaction(
        scope,
        tx -> {
          List<EngineReceipts.Receipt> batch = new ArrayList<>();
          pending.put(tx, batch);
          try {
            T result = work.apply(tx);
            if (!batch.isEmpty()) {
              sink.emitAll(tx, List.copyOf(batch));
            }
            return result;
          } finally {
            pending.remove(tx);
          }
        });
  }

  private void emit(Tx tx, EngineReceipts.Receipt r) {
    List<EngineReceipts.Receipt> batch = pending.get(tx);
    if (batch != null) {
      batch.add(r);
    } else {
      sink.emit(tx, r);
    }
  }

  public void workflow(
      Tx tx,
      TenantId tenant,
      Authorization auth,
      String action,
      String name,
      String version,
      ObjectNode payload) {
    emit(
        tx,
        new EngineReceipts.Receipt(
            tenant,
            workflowType(action),
            action,
            auth.actor(),
            auth.decisionId(),
            "workflow",
            name + "@" + version,
            payload,
            auth.reasons(),
            auth.bundleRevision()));
  }

  public void run(
      Tx tx,
      TenantId tenant,
      Authorization auth,
      String runId,
      RunStatus from,
      RunStatus.Event event,
      RunStatus to,
      ObjectNode payload) {
    String type = runType(event).name();
    ObjectNode p = payload.deepCopy();
    p.put("from", from == null ? null : from.name());
    p.put("event", event == null ? "CREATE" : event.name());
    p.put("to", to.name());
    emit(
        tx,
        new EngineReceipts.Receipt(
            tenant,
            type,
            "run." + (event == null ? "create" : event.name().toLowerCase(java.util.Locale.ROOT)),
            auth.actor(),
            auth.decisionId(),
            "run",
            runId,
            p,
            auth.reasons(),
            auth.bundleRevision()));
  }

  public void step(
      Tx tx,
      TenantId tenant,
      Actor actor,
      String decisionId,
      String runId,
      String stepId,
      int attempt,
      StepStatus from,
      StepStatus.Event event,
      StepStatus to,
      ObjectNode payload) {
    String type = stepType(event).name();
    ObjectNode p = payload.deepCopy();
    p.put("from", from.name());
    p.put("event", event.name());
    p.put("to", to.name());
    p.put("attempt", attempt);
    emit(
        tx,
        new EngineReceipts.Receipt(
            tenant,
            type,
            "step." + event.name().toLowerCase(java.util.Locale.ROOT),
            actor,
            decisionId,
            "step",
            runId + "/" + stepId,
            p));
  }

  public void approval(
      Tx tx,
      TenantId tenant,
      Authorization auth,
      String runId,
      String stepId,
      boolean approve,
      ObjectNode payload) {
    emit(
        tx,
        new EngineReceipts.Receipt(
            tenant,
            (approve ? ReceiptTypes.APPROVAL_GRANTED : ReceiptTypes.APPROVAL_REJECTED).name(),
            approve ? "step.approve" : "step.reject",
            auth.actor(),
            auth.decisionId(),
            "step",
            runId + "/" + stepId,
            payload,
            auth.reasons(),
            auth.bundleRevision()));
  }

  /**
   * The receipt type of a run transition; {@code null} is the creation of the run, whose receipt
   * carries the admission decision. The type depends only on the event because each run event leads
   * to exactly one state (see {@link RunStatus#TRANSITIONS}).
   */
  public static ReceiptType runType(RunStatus.Event event) {
    if (event == null) {
      return ReceiptTypes.RUN_STARTED;
    }
    return switch (event) {
      case START -> ReceiptTypes.RUN_BEGAN;
      case SUCCEED -> ReceiptTypes.RUN_COMPLETED;
      case FAIL -> ReceiptTypes.RUN_FAILED;
      case TIME_OUT -> ReceiptTypes.RUN_TIMED_OUT;
      case CANCEL -> ReceiptTypes.RUN_CANCELLED;
    };
  }

  /**
   * The receipt type of a step transition. Each step event leads to exactly one state (see {@link
   * StepStatus#TRANSITIONS}), so the event names the transition precisely.
   */
  public static ReceiptType stepType(StepStatus.Event event) {
    return switch (event) {
      case ENQUEUE -> ReceiptTypes.STEP_QUEUED;
      case START -> ReceiptTypes.STEP_STARTED;
      case REDELIVER -> ReceiptTypes.STEP_REDELIVERED;
      case WAIT -> ReceiptTypes.STEP_WAITING;
      case RETRY -> ReceiptTypes.STEP_RETRIED;
      case SUCCEED -> ReceiptTypes.STEP_COMPLETED;
      case FAIL -> ReceiptTypes.STEP_FAILED;
      case TIME_OUT -> ReceiptTypes.STEP_TIMED_OUT;
      case SKIP -> ReceiptTypes.STEP_SKIPPED;
      case CANCEL -> ReceiptTypes.STEP_CANCELLED;
    };
  }

  private static String workflowType(String action) {
    return switch (action) {
      case "workflow.draft" -> ReceiptTypes.WORKFLOW_DRAFTED.name();
      case "workflow.publish" -> ReceiptTypes.WORKFLOW_PUBLISHED.name();
      default ->
          throw new IllegalArgumentException("no receipt type for workflow action " + action);
    };
  }
}
