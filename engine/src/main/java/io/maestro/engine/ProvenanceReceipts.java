package io.maestro.engine;

import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.Receipts;
import io.maestro.store.Tx;
import java.util.List;

/**
 * The production receipt sink: appends each engine receipt to the tenant's provenance log inside
 * the transaction of the state change. Actions taken by the platform itself (decision id {@code
 * system}) carry no policy decision; everything else records the decision that admitted it.
 */
public final class ProvenanceReceipts implements EngineReceipts {
  private final Receipts receipts;

  public ProvenanceReceipts(Receipts receipts) {
    this.receipts = receipts;
  }

  @Override
  public void emit(Tx tx, Receipt r) {
    receipts.append(tx, draft(r));
  }

  @Override
  public void emitAll(Tx tx, List<Receipt> rs) {
    receipts.appendAll(tx, rs.stream().map(ProvenanceReceipts::draft).toList());
  }

  /** The provenance draft of an engine receipt (for sinks that append it themselves). */
  public static ReceiptDraft draft(Receipt r) {
    ReceiptDraft draft =
        ReceiptDraft.of(
                LogId.tenant(r.tenant()),
                ReceiptType.of(r.type()),
                r.actor(),
                r.action(),
                ReceiptDraft.Subject.of(r.subjectKind(), r.subjectId()))
            .withPayload(r.payload());
    if (!"system".equals(r.decisionId())) {
      draft =
          draft.withDecision(
              new ReceiptDraft.DecisionRef(
                  r.decisionId(), true, r.decisionReasons(), r.bundleRevision()));
    }
    return draft;
  }
}
