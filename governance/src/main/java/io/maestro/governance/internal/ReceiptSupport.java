package io.maestro.governance.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.json.Json;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.Receipts;
import io.maestro.store.Tx;

/** Appends a governance receipt to the tenant's log, or the platform's for {@code *}. */
public final class ReceiptSupport {
  public static final ObjectMapper JSON = Json.MAPPER;

  private final Receipts receipts;

  public ReceiptSupport(Receipts receipts) {
    this.receipts = receipts;
  }

  public Receipt append(
      Tx tx,
      String tenant,
      ReceiptType type,
      Actor actor,
      String action,
      String kind,
      String id,
      Decision decision,
      ObjectNode payload) {
    LogId log = "*".equals(tenant) ? LogId.platform() : LogId.tenant(TenantId.of(tenant));
    ReceiptDraft d =
        ReceiptDraft.of(log, type, actor, action, ReceiptDraft.Subject.of(kind, id))
            .withPayload(payload);
    if (decision != null) {
      d = d.withDecision(decision);
    }
    return receipts.append(tx, d);
  }
}
