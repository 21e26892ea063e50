package io.maestro.evidence.bundle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.evidence.internal.ExportReceipts;
import io.maestro.evidence.storage.PackStore;
import io.maestro.evidence.storage.StagedFile;
import io.maestro.evidence.storage.Staging;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Makes a tenant's compliance bundle for a time window: the tenant's receipts of the window with
 * their proofs, the restore drills of the installation, the access log from the decision log, and
 * the index; stores it in the tenant's evidence partition and records the export as an {@code
 * evidence.exported} receipt in the tenant's log. Thread-safe.
 */
public final class ComplianceBundles {
  private final Database db;
  private final Provenance provenance;
  private final AccessLog access;
  private final PackStore store;
  private final LogReads reads;

  public ComplianceBundles(Database db, Provenance provenance, AccessLog access, PackStore store) {
    this.reads = new LogReads(db, provenance);
    this.db = db;
    this.provenance = provenance;
    this.access = access;
    this.store = store;
  }

  /** A stored bundle and the receipt of its export. */
  public record Bundle(Path file, String sha256, long size, String receiptId) {}

  /**
   * Makes, stores and records the tenant's bundle over {@code window}.
   *
   * @throws io.maestro.core.problem.MaestroException {@code evidence_not_checkpointed} when the
   *     window's last receipts are not yet covered by a signed checkpoint
   */
  public Bundle export(TenantId tenant, BundleWindow window, Actor actor, Decision decision) {
    LogId log = LogId.tenant(tenant);
    provenance.sequencer().drain(log);
    provenance.sequencer().drain(LogId.platform());
    List<Receipt> mine = reads.receipts(TenantScope.of(tenant), log, window, Optional.empty());
    List<Receipt> drills =
        reads.receipts(
            TenantScope.platform(),
            LogId.platform(),
            window,
            Optional.of(ReceiptTypes.DRILL_COMPLETED));
    Optional<Checkpoint> tenantCp = reads.covering(TenantScope.of(tenant), log, mine);
    Optional<Checkpoint> platformCp =
        reads.covering(TenantScope.platform(), LogId.platform(), drills);
    BundleWriter.Contents contents =
        new BundleWriter.Contents(
            tenant,
            window,
            reads.prove(TenantScope.of(tenant), log, mine, tenantCp),
            tenantCp,
            reads.prove(TenantScope.platform(), LogId.platform(), drills, platformCp),
            platformCp,
            access);
    PackStore.Stored stored;
    try (Staging staging = store.staging(tenant)) {
      List<StagedFile> files =
          new BundleWriter(staging, provenance.keys().requireSigner()).write(contents);
      stored = store.store(tenant, staging, files);
    }
    return record(tenant, window, actor, decision, stored, mine.size());
  }

  private Bundle record(
      TenantId tenant,
      BundleWindow window,
      Actor actor,
      Decision decision,
      PackStore.Stored stored,
      int receipts) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("kind", "compliance_bundle");
    payload.put("from", window.from().toString());
    payload.put("to", window.to().toString());
    payload.put("receipts", receipts);
    payload.put("sha256", stored.sha256());
    payload.put("size", stored.size());
    Receipt receipt = ExportReceipts.record(db, provenance, tenant, actor, decision, payload);
    return new Bundle(stored.file(), stored.sha256(), stored.size(), receipt.id());
  }
}
