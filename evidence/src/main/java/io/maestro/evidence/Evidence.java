package io.maestro.evidence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.core.purge.PurgedItem;
import io.maestro.evidence.internal.ExportReceipts;
import io.maestro.evidence.internal.ExportTable;
import io.maestro.evidence.pack.PackWriter;
import io.maestro.evidence.pack.RunReceipts;
import io.maestro.evidence.storage.PackStore;
import io.maestro.evidence.storage.StagedFile;
import io.maestro.evidence.storage.Staging;
import io.maestro.evidence.withhold.Withholder;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The evidence module's entry point: makes a run's disclosure pack, keeps it in the tenant's
 * partition and records the export (a row, an {@code evidence.exported} receipt and whatever the
 * {@link ExportRecorder} adds, such as the metered event) in one transaction. Thread-safe.
 */
public final class Evidence {
  private static final Pattern REGION = Pattern.compile("[A-Z][A-Z0-9-]{1,31}");

  private final Database db;
  private final Provenance provenance;
  private final RunEvidence runs;
  private final PackStore store;
  private final Ids ids;
  private final Clock clock;
  private final ExportRecorder recorder;

  /** Adds to an export's transaction (the server records the metered event here). */
  @FunctionalInterface
  public interface ExportRecorder {
    ExportRecorder NONE = (tx, tenant, actor, receipt, pack) -> {};

    void exported(Tx tx, TenantId tenant, Actor actor, Receipt receipt, DisclosurePack pack);
  }

  public Evidence(
      Database db,
      Provenance provenance,
      RunEvidence runs,
      PackStore store,
      Ids ids,
      Clock clock,
      ExportRecorder recorder) {
    this.db = db;
    this.provenance = provenance;
    this.runs = runs;
    this.store = store;
    this.ids = ids;
    this.clock = clock;
    this.recorder = recorder;
  }

  public PackStore store() {
    return store;
  }

  /**
   * Makes, stores and records the pack of {@code req}'s run.
   *
   * @throws MaestroException {@code evidence_run_not_found}, {@code evidence_region_unknown},
   *     {@code evidence_withhold_invalid}, {@code evidence_withhold_unmatched}, {@code
   *     evidence_run_not_finished} or {@code evidence_not_checkpointed}
   */
  public DisclosurePack disclose(DisclosureRequest req, Actor actor, Decision decision) {
    TenantId tenant = req.tenant();
    RunEvidence.RunFacts run =
        runs.run(tenant, req.runId())
            .orElseThrow(
                () -> MaestroException.of(EvidenceErrors.RUN_NOT_FOUND, "no run " + req.runId()));
    req.region().ifPresent(r -> checkRegion(tenant, r));
    if (!run.finished()) {
      throw MaestroException.of(
          EvidenceErrors.RUN_NOT_FINISHED,
          "run " + req.runId() + " has not finished; a pack is made once it has ended");
    }
    ObjectNode doc = run.run().deepCopy();
    List<Withholder.Withheld> withheld =
        new Withholder(store.saltKey(tenant), run.runId()).apply(doc, req.withhold());
    RunReceipts receipts = new ReceiptCollector(db, provenance).collect(tenant, run.runId());
    PackWriter.Scope scope =
        new PackWriter.Scope(tenant, run.runId(), req.region(), run.region(), withheld);
    PackStore.Stored stored;
    boolean empty;
    try (Staging staging = store.staging(tenant)) {
      List<StagedFile> files =
          new PackWriter(staging, provenance.keys().requireSigner())
              .write(scope, run, doc, receipts, runs);
      empty = files.stream().allMatch(f -> f.region().isEmpty());
      stored = store.store(tenant, staging, files);
    }
    return record(req, actor, decision, stored, empty);
  }

  private DisclosurePack record(
      DisclosureRequest req,
      Actor actor,
      Decision decision,
      PackStore.Stored stored,
      boolean empty) {
    TenantId tenant = req.tenant();
    String exportId = ids.next("exp");
    String blob = store.partition(tenant).relativize(stored.file()).toString();
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("export_id", exportId);
    payload.put("run", req.runId());
    payload.put("region", req.region().orElse(null));
    ArrayNode w = payload.putArray("withheld");
    req.withhold().forEach(w::add);
    payload.put("sha256", stored.sha256());
    payload.put("size", stored.size());
    payload.put("empty", empty);
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Receipt receipt =
              provenance
                  .receipts()
                  .append(
                      tx,
                      ExportReceipts.draft(
                          tenant,
                          actor,
                          decision,
                          ReceiptDraft.Subject.of("run", req.runId()),
                          payload));
          ExportTable.insert(
              tx,
              tenant,
              new ExportTable.Row(
                  exportId,
                  req.runId(),
                  req.region().orElse(null),
                  String.join("\n", req.withhold()),
                  stored.sha256(),
                  stored.size(),
                  blob,
                  receipt.id(),
                  clock.instant()));
          DisclosurePack pack =
              new DisclosurePack(
                  stored.file(), stored.sha256(), stored.size(), exportId, receipt.id(), empty);
          recorder.exported(tx, tenant, actor, receipt, pack);
          return pack;
        });
  }

  /** The tenant's exports of a run (for audits of the exports themselves). */
  public List<ExportTable.Row> exports(TenantId tenant, String runId) {
    return db.inTransaction(TenantScope.of(tenant), tx -> ExportTable.forRun(tx, tenant, runId));
  }

  /**
   * Deletes at most {@code limit} of the tenant's disclosure packs exported before {@code before},
   * the oldest first, for the retention job: the export rows in {@code tx} (the caller's, scoped to
   * the tenant), and each pack file no remaining export names once {@code tx} commits (packs are
   * content-addressed, so two exports of the same pack share one file). The {@code
   * evidence.exported} receipts stay. Returns one item per export, class {@code evidence_packs},
   * with the digest of its row.
   */
  public List<PurgedItem> expirePacks(Tx tx, TenantId tenant, Instant before, int limit) {
    List<ExportTable.Expired> gone = ExportTable.deleteBefore(tx, tenant, before, limit);
    java.util.Set<String> blobs = new java.util.TreeSet<>();
    List<PurgedItem> items = new java.util.ArrayList<>();
    for (ExportTable.Expired e : gone) {
      items.add(new PurgedItem("evidence_packs", e.exportId(), e.digest()));
      blobs.add(e.blob());
    }
    Path partition = store.partition(tenant);
    for (String blob : blobs) {
      if (!ExportTable.blobInUse(tx, tenant, blob)) {
        Path file = partition.resolve(blob).normalize();
        if (file.startsWith(partition)) {
          tx.afterCommit(() -> store.delete(file));
        }
      }
    }
    return items;
  }

  private void checkRegion(TenantId tenant, String region) {
    if (!REGION.matcher(region).matches()) {
      throw MaestroException.of(
          EvidenceErrors.REGION_UNKNOWN,
          "regions are upper-case codes such as US or EU: " + region);
    }
    List<String> allowed = runs.tenantRegions(tenant);
    if (!allowed.contains(region)) {
      throw MaestroException.of(
          EvidenceErrors.REGION_UNKNOWN,
          "region " + region + " is not one of the tenant's regions " + allowed);
    }
  }
}
