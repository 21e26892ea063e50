package io.maestro.evidence.controls;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptType;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Each control's status from the tenant's live receipts: {@code met} when every evidence type has a
 * receipt (since {@code since}, when given), {@code partial} when some do, {@code no_evidence} when
 * none do or the control names no evidence yet. Each found type links to its first receipt.
 */
public final class ControlStatus {
  private final Database db;
  private final ReceiptLog log;

  public ControlStatus(Database db, ReceiptLog log) {
    this.db = db;
    this.log = log;
  }

  /** The catalog with every control's status, as JSON. */
  public ObjectNode evaluate(
      ControlCatalog catalog,
      List<ControlCatalog.Control> controls,
      TenantId tenant,
      Optional<Instant> since) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("catalog_version", catalog.version());
    out.put("tenant", tenant.value());
    out.put("since", since.map(Instant::toString).orElse(null));
    ArrayNode items = out.putArray("controls");
    for (ControlCatalog.Control c : controls) {
      items.add(status(c, tenant, since));
    }
    return out;
  }

  private ObjectNode status(ControlCatalog.Control c, TenantId tenant, Optional<Instant> since) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", c.id());
    o.put("title", c.title());
    o.put("mode", c.mode());
    ArrayNode fw = o.putArray("frameworks");
    c.frameworks().forEach(fw::add);
    ArrayNode features = o.putArray("features");
    c.features().forEach(features::add);
    ArrayNode evidence = o.putArray("evidence");
    int found = 0;
    for (String type : c.evidence()) {
      Optional<Receipt> first = first(tenant, type, since);
      ObjectNode e = evidence.addObject();
      e.put("receipt_type", type);
      e.put("found", first.isPresent());
      if (first.isPresent()) {
        found++;
        e.put("receipt", "/api/receipts/" + first.get().id());
        e.put("time", first.get().time().toString());
      }
    }
    String status = found == 0 ? "no_evidence" : found == c.evidence().size() ? "met" : "partial";
    o.put("status", status);
    return o;
  }

  private Optional<Receipt> first(TenantId tenant, String type, Optional<Instant> since) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            log
                .list(
                    tx,
                    LogId.tenant(tenant),
                    new ReceiptLog.Query(Optional.of(ReceiptType.of(type)), since, 0, 1))
                .receipts()
                .stream()
                .findFirst());
  }
}
