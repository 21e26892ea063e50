package io.maestro.server.engine;

import io.maestro.engine.EngineReceipts;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.store.Tx;
import java.util.List;

/**
 * Adapts the engine's receipt port to the provenance log: each engine receipt is queued for its
 * tenant's log inside the transaction of the state change (the sequencer places it in the log right
 * after, ADR 0017), with the decision behind it recorded as the decision point returned it. Actions
 * the platform takes on its own carry no decision.
 */
public final class ProvenanceReceipts implements EngineReceipts {
  private final Receipts receipts;

  public ProvenanceReceipts(Receipts receipts) {
    this.receipts = receipts;
  }

  @Override
  public void emitAll(Tx tx, List<Receipt> rs) {
    receipts.enqueueAll(tx, rs.stream().map(ProvenanceReceipts::draft).toList());
  }

  /** The provenance draft of an engine receipt (for sinks that append it themselves). */
  public static ReceiptDraft draft(Receipt r) {
    ReceiptDraft draft =
        ReceiptDraft.of(
                LogId.tenant(r.tenant()),
                type(r.type()),
                r.actor(),
                r.action(),
                ReceiptDraft.Subject.of(r.subjectKind(), r.subjectId()))
            .withPayload(r.payload());
    return r.decision().map(draft::withDecision).orElse(draft);
  }

  /** The catalogue's type for each kind of engine receipt. */
  static ReceiptType type(Type type) {
    return switch (type) {
      case RUN_STARTED -> ReceiptTypes.RUN_STARTED;
      case RUN_BEGAN -> ReceiptTypes.RUN_BEGAN;
      case RUN_COMPLETED -> ReceiptTypes.RUN_COMPLETED;
      case RUN_FAILED -> ReceiptTypes.RUN_FAILED;
      case RUN_TIMED_OUT -> ReceiptTypes.RUN_TIMED_OUT;
      case RUN_CANCELLED -> ReceiptTypes.RUN_CANCELLED;
      case RUN_PAUSED -> ReceiptTypes.RUN_PAUSED;
      case RUN_RESUMED -> ReceiptTypes.RUN_RESUMED;
      case STEP_QUEUED -> ReceiptTypes.STEP_QUEUED;
      case STEP_STARTED -> ReceiptTypes.STEP_STARTED;
      case STEP_REDELIVERED -> ReceiptTypes.STEP_REDELIVERED;
      case STEP_WAITING -> ReceiptTypes.STEP_WAITING;
      case STEP_RETRIED -> ReceiptTypes.STEP_RETRIED;
      case STEP_COMPLETED -> ReceiptTypes.STEP_COMPLETED;
      case STEP_FAILED -> ReceiptTypes.STEP_FAILED;
      case STEP_TIMED_OUT -> ReceiptTypes.STEP_TIMED_OUT;
      case STEP_SKIPPED -> ReceiptTypes.STEP_SKIPPED;
      case STEP_CANCELLED -> ReceiptTypes.STEP_CANCELLED;
      case APPROVAL_GRANTED -> ReceiptTypes.APPROVAL_GRANTED;
      case APPROVAL_REJECTED -> ReceiptTypes.APPROVAL_REJECTED;
      case WORKFLOW_DRAFTED -> ReceiptTypes.WORKFLOW_DRAFTED;
      case WORKFLOW_PUBLISHED -> ReceiptTypes.WORKFLOW_PUBLISHED;
      case SCHEDULE_CREATED -> ReceiptTypes.SCHEDULE_CREATED;
      case SCHEDULE_DELETED -> ReceiptTypes.SCHEDULE_DELETED;
      case SCHEDULE_PAUSED -> ReceiptTypes.SCHEDULE_PAUSED;
      case SCHEDULE_RESUMED -> ReceiptTypes.SCHEDULE_RESUMED;
      case SCHEDULE_FIRED -> ReceiptTypes.SCHEDULE_FIRED;
      case TRIGGER_CREATED -> ReceiptTypes.TRIGGER_CREATED;
      case TRIGGER_DELETED -> ReceiptTypes.TRIGGER_DELETED;
    };
  }
}
