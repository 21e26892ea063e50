package io.maestro.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.policy.DecisionRecords;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares what receipts say policy decided with what the decision log recorded under the same
 * decision id. Used after a server has stopped (so the decision log's batches are written).
 */
final class DecisionTrail {
  private DecisionTrail() {}

  /** Every receipt of {@code tenant}'s log that names a decision. */
  static List<Receipt> decidedReceipts(Database db, TenantId tenant) {
    ReceiptLog log = new ReceiptLog("maestro.test");
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            log
                .list(tx, LogId.tenant(tenant), ReceiptLog.Query.all(ReceiptLog.MAX_PAGE))
                .receipts()
                .stream()
                .filter(r -> r.decision().isPresent())
                .toList());
  }

  /** The logged decision with {@code id}, filed under {@code tenant}. */
  static Optional<ObjectNode> logged(Database db, TenantId tenant, String id) {
    return db.inTransaction(
        TenantScope.of(tenant), tx -> DecisionRecords.find(tx, tenant.value(), id));
  }

  /**
   * How each receipt's decision differs from the logged one with its id (empty when they agree):
   * allow, reasons with their messages, obligations, bundle revision, input digest and path.
   */
  static List<String> disagreements(Database db, TenantId tenant) {
    List<String> out = new ArrayList<>();
    for (Receipt r : decidedReceipts(db, tenant)) {
      Decision d = r.decision().orElseThrow();
      Optional<ObjectNode> row = logged(db, tenant, d.id());
      String where = r.type() + " seq " + r.seq() + " decision " + d.id();
      if (row.isEmpty()) {
        out.add(where + ": not in the decision log");
        continue;
      }
      JsonNode e = row.get();
      if (!e.path("result").equals(d.resultJson())) {
        out.add(where + ": receipt says " + d.resultJson() + ", log says " + e.path("result"));
      }
      if (!e.path("input_digest").asText().equals(d.inputDigest())) {
        out.add(where + ": input digest differs");
      }
      if (!e.path("path").asText().equals(d.path())) {
        out.add(where + ": path differs");
      }
      String revision =
          e.path("bundles").properties().iterator().next().getValue().path("revision").asText();
      if (!revision.equals(d.bundleRevision())) {
        out.add(where + ": bundle revision " + d.bundleRevision() + " vs " + revision);
      }
    }
    return out;
  }
}
