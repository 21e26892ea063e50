package io.maestro.evidence.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;

/**
 * The {@code evidence.exported} receipt in the tenant's log that records an evidence export: a
 * run's disclosure pack, the tenant's compliance bundle or compliance pack.
 */
public final class ExportReceipts {
  private ExportReceipts() {}

  /** The receipt of an export about {@code subject}; {@code payload} says what was exported. */
  public static ReceiptDraft draft(
      TenantId tenant,
      Actor actor,
      Decision decision,
      ReceiptDraft.Subject subject,
      ObjectNode payload) {
    return ReceiptDraft.of(
            LogId.tenant(tenant), ReceiptTypes.EVIDENCE_EXPORTED, actor, "evidence.export", subject)
        .withDecision(decision)
        .withPayload(payload);
  }

  /** Appends, in its own transaction, the receipt of a tenant-wide export. */
  public static Receipt record(
      Database db,
      Provenance provenance,
      TenantId tenant,
      Actor actor,
      Decision decision,
      ObjectNode payload) {
    ReceiptDraft draft =
        draft(tenant, actor, decision, ReceiptDraft.Subject.of("tenant", tenant.value()), payload);
    return db.inTransaction(TenantScope.of(tenant), tx -> provenance.receipts().append(tx, draft));
  }
}
