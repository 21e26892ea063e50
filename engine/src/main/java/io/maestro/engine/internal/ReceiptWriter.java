package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineReceipts;
import io.maestro.engine.run.RunStatus;
import io.maestro.engine.run.StepStatus;
import io.maestro.store.Tx;

/**
 * Turns engine state changes into receipts, always inside the transaction of the change. The type
 * names follow the provenance catalogue; where the catalogue has no dedicated type for a transition
 * yet (a retry, a skip, a timeout), the closest type is used and the exact transition is in {@code
 * action} and the payload ({@code from}, {@code event}, {@code to}).
 */
public final class ReceiptWriter {
  private final EngineReceipts sink;

  public ReceiptWriter(EngineReceipts sink) {
    this.sink = sink;
  }

  public void workflow(
      Tx tx,
      TenantId tenant,
      Authorization auth,
      String action,
      String name,
      String version,
      ObjectNode payload) {
    sink.emit(
        tx,
        new EngineReceipts.Receipt(
            tenant,
            "workflow.registered",
            action,
            auth.actor(),
            auth.decisionId(),
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
    String type =
        switch (to) {
          case PENDING, RUNNING -> "run.started";
          case SUCCEEDED -> "run.completed";
          case FAILED, TIMED_OUT -> "run.failed";
          case CANCELLED -> "run.cancelled";
        };
    ObjectNode p = payload.deepCopy();
    p.put("from", from == null ? null : from.name());
    p.put("event", event == null ? "CREATE" : event.name());
    p.put("to", to.name());
    sink.emit(
        tx,
        new EngineReceipts.Receipt(
            tenant,
            type,
            "run." + (event == null ? "create" : event.name().toLowerCase(java.util.Locale.ROOT)),
            auth.actor(),
            auth.decisionId(),
            "run",
            runId,
            p));
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
    String type =
        switch (to) {
          case PENDING, READY, RUNNING, WAITING -> "step.started";
          case SUCCEEDED, SKIPPED -> "step.completed";
          case FAILED, CANCELLED, TIMED_OUT -> "step.failed";
        };
    ObjectNode p = payload.deepCopy();
    p.put("from", from.name());
    p.put("event", event.name());
    p.put("to", to.name());
    p.put("attempt", attempt);
    sink.emit(
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
    sink.emit(
        tx,
        new EngineReceipts.Receipt(
            tenant,
            approve ? "approval.granted" : "approval.rejected",
            approve ? "step.approve" : "step.reject",
            auth.actor(),
            auth.decisionId(),
            "step",
            runId + "/" + stepId,
            payload));
  }
}
