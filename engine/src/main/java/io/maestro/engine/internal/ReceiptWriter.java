package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineReceipts;
import io.maestro.engine.EngineReceipts.Type;
import io.maestro.engine.RunStatus;
import io.maestro.engine.StepStatus;
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
 * transition has its own type from the receipt catalogue ({@link #runType}, {@link #stepType}); the
 * exact edge is also in {@code action} and the payload ({@code from}, {@code event}, {@code to}).
 */
public final class ReceiptWriter {
  private final EngineReceipts sink;
  // Receipts of transactions opened through inTransaction, appended together just before commit:
  // the provenance log locks the tenant's log head from the first append to the commit, so
  // appending last keeps that lock (which serializes the tenant's writers) as short as possible.
  private final Map<Tx, List<EngineReceipts.Receipt>> pending = new ConcurrentHashMap<>();
  // Stored data of those transactions, reported after their receipts (whose run it belongs to).
  private final Map<Tx, List<EngineReceipts.Stored>> storedLater = new ConcurrentHashMap<>();

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
          List<EngineReceipts.Stored> stored = new ArrayList<>();
          pending.put(tx, batch);
          storedLater.put(tx, stored);
          try {
            T result = work.apply(tx);
            if (!batch.isEmpty() || !stored.isEmpty()) {
              sink.emitAll(tx, List.copyOf(batch), List.copyOf(stored));
            }
            return result;
          } finally {
            pending.remove(tx);
            storedLater.remove(tx);
          }
        });
  }

  /**
   * Reports data stored beside the receipts (see {@link EngineReceipts#stored}): at the end of a
   * batched transaction, after its receipts; at once otherwise.
   */
  public void stored(Tx tx, TenantId tenant, String runId, String key, long bytes) {
    List<EngineReceipts.Stored> later = storedLater.get(tx);
    if (later != null) {
      later.add(new EngineReceipts.Stored(tenant, runId, key, bytes));
    } else {
      sink.stored(tx, tenant, runId, key, bytes);
    }
  }

  /** The sink, for writers outside a batched transaction (log lines). */
  public EngineReceipts sink() {
    return sink;
  }

  private void emit(Tx tx, EngineReceipts.Receipt r) {
    List<EngineReceipts.Receipt> batch = pending.get(tx);
    if (batch != null) {
      batch.add(r);
    } else {
      sink.emitAll(tx, List.of(r));
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
            auth.decision(),
            "workflow",
            name + "@" + version,
            payload));
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
    Type type = runType(event);
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
            auth.decision(),
            "run",
            runId,
            p));
  }

  public void step(
      Tx tx,
      TenantId tenant,
      Authorization auth,
      String runId,
      String stepId,
      int attempt,
      StepStatus from,
      StepStatus.Event event,
      StepStatus to,
      ObjectNode payload) {
    Type type = stepType(event);
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
            auth.actor(),
            auth.decision(),
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
            approve ? Type.APPROVAL_GRANTED : Type.APPROVAL_REJECTED,
            approve ? "step.approve" : "step.reject",
            auth.actor(),
            auth.decision(),
            "step",
            runId + "/" + stepId,
            payload));
  }

  /**
   * A receipt about a schedule or a webhook trigger ({@code subjectKind} {@code schedule} or {@code
   * trigger}), in the transaction of the change.
   */
  public void control(
      Tx tx,
      TenantId tenant,
      Authorization auth,
      Type type,
      String subjectKind,
      String subjectId,
      ObjectNode payload) {
    emit(
        tx,
        new EngineReceipts.Receipt(
            tenant,
            type,
            type.catalogueName(),
            auth.actor(),
            auth.decision(),
            subjectKind,
            subjectId,
            payload));
  }

  /**
   * The receipt type of a run transition; {@code null} is the creation of the run, whose receipt
   * carries the admission decision. The type depends only on the event because each run event leads
   * to exactly one state (see {@link RunStatus#TRANSITIONS}).
   */
  public static Type runType(RunStatus.Event event) {
    if (event == null) {
      return Type.RUN_STARTED;
    }
    return switch (event) {
      case START -> Type.RUN_BEGAN;
      case SUCCEED -> Type.RUN_COMPLETED;
      case FAIL -> Type.RUN_FAILED;
      case TIME_OUT -> Type.RUN_TIMED_OUT;
      case CANCEL -> Type.RUN_CANCELLED;
      case PAUSE -> Type.RUN_PAUSED;
      case RESUME -> Type.RUN_RESUMED;
    };
  }

  /**
   * The receipt type of a step transition. Each step event leads to exactly one state (see {@link
   * StepStatus#TRANSITIONS}), so the event names the transition precisely.
   */
  public static Type stepType(StepStatus.Event event) {
    return switch (event) {
      case ENQUEUE -> Type.STEP_QUEUED;
      case START -> Type.STEP_STARTED;
      case REDELIVER -> Type.STEP_REDELIVERED;
      case WAIT -> Type.STEP_WAITING;
      case RETRY -> Type.STEP_RETRIED;
      case SUCCEED -> Type.STEP_COMPLETED;
      case FAIL -> Type.STEP_FAILED;
      case TIME_OUT -> Type.STEP_TIMED_OUT;
      case SKIP -> Type.STEP_SKIPPED;
      case CANCEL -> Type.STEP_CANCELLED;
    };
  }

  private static Type workflowType(String action) {
    return switch (action) {
      case "workflow.draft" -> Type.WORKFLOW_DRAFTED;
      case "workflow.publish" -> Type.WORKFLOW_PUBLISHED;
      default ->
          throw new IllegalArgumentException("no receipt type for workflow action " + action);
    };
  }
}
