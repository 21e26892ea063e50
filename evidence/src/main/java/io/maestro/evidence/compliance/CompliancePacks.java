package io.maestro.evidence.compliance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.evidence.EvidenceErrors;
import io.maestro.evidence.bundle.BundleWindow;
import io.maestro.evidence.bundle.LogReads;
import io.maestro.evidence.internal.ExportReceipts;
import io.maestro.evidence.pack.RunReceipts;
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
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Makes a tenant's Conductor Compliance Pack as of an instant: gathers the policy snapshot, the
 * release files, the SLO report and incident timelines from {@link PackSources}, the restore and
 * chaos drill receipts of the platform log with their proofs, and the isolation report; stores it
 * in the tenant's evidence partition and records the export as an {@code evidence.exported}
 * receipt. The same instant over the same records gives the same bytes. Thread-safe.
 */
public final class CompliancePacks {
  private final Database db;
  private final Provenance provenance;
  private final PackSources sources;
  private final PackStore store;
  private final LogReads reads;
  private final Clock clock;

  public CompliancePacks(
      Database db, Provenance provenance, PackSources sources, PackStore store, Clock clock) {
    this.db = db;
    this.provenance = provenance;
    this.sources = sources;
    this.store = store;
    this.reads = new LogReads(db, provenance);
    this.clock = clock;
  }

  /** A stored pack, the instant it was made as of, and the receipt of its export. */
  public record Pack(Path file, String sha256, long size, Instant at, String receiptId) {}

  /**
   * The instant a pack is made as of: {@code at} when given (an RFC 3339 time not in the future),
   * else now to the second.
   *
   * @throws MaestroException {@code evidence_pack_time_invalid} for an unparsable or future time
   */
  public Instant asOf(Optional<String> at) {
    Instant now = clock.instant();
    if (at.isEmpty() || at.get().isBlank()) {
      return now.truncatedTo(ChronoUnit.SECONDS);
    }
    Instant t;
    try {
      t = Instant.parse(at.get().trim());
    } catch (DateTimeParseException e) {
      throw MaestroException.of(
          EvidenceErrors.PACK_TIME_INVALID,
          "'at' is not an RFC 3339 time such as 2026-12-01T00:00:00Z: " + at.get());
    }
    if (t.isAfter(now)) {
      throw MaestroException.of(
          EvidenceErrors.PACK_TIME_INVALID,
          "'at' " + t + " is in the future; a pack is made as of a time that has passed");
    }
    return t;
  }

  /**
   * Makes, stores and records the tenant's pack as of {@code at}.
   *
   * @throws MaestroException {@code evidence_not_checkpointed} when the drills' receipts are not
   *     yet covered by a signed checkpoint
   */
  public Pack export(TenantId tenant, Instant at, Actor actor, Decision decision) {
    provenance.sequencer().drain(LogId.platform());
    BundleWindow before = new BundleWindow(Instant.EPOCH, at);
    List<Receipt> drills = new ArrayList<>();
    drills.addAll(
        reads.receipts(
            TenantScope.platform(),
            LogId.platform(),
            before,
            Optional.of(ReceiptTypes.DRILL_COMPLETED)));
    drills.addAll(
        reads.receipts(
            TenantScope.platform(),
            LogId.platform(),
            before,
            Optional.of(ReceiptTypes.DRILL_CHAOS_COMPLETED)));
    drills.sort(Comparator.comparingLong(Receipt::seq));
    Optional<Checkpoint> cp = reads.covering(TenantScope.platform(), LogId.platform(), drills);
    List<RunReceipts.Proven> proven =
        reads.prove(TenantScope.platform(), LogId.platform(), drills, cp);
    CompliancePackWriter.Contents contents =
        new CompliancePackWriter.Contents(
            tenant,
            at,
            sources.policy(tenant),
            sources.release(),
            sources.sloReport(tenant, at),
            sources.incidents(tenant, at),
            proven,
            cp,
            sources.isolationReport());
    PackStore.Stored stored;
    try (Staging staging = store.staging(tenant)) {
      List<StagedFile> files =
          new CompliancePackWriter(staging, provenance.keys().requireSigner()).write(contents);
      stored = store.store(tenant, staging, files);
    }
    return record(tenant, at, actor, decision, stored);
  }

  private Pack record(
      TenantId tenant, Instant at, Actor actor, Decision decision, PackStore.Stored stored) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("kind", "compliance_pack");
    payload.put("tag", CompliancePackFormat.TAG);
    payload.put("at", at.toString());
    payload.put("sha256", stored.sha256());
    payload.put("size", stored.size());
    Receipt receipt = ExportReceipts.record(db, provenance, tenant, actor, decision, payload);
    return new Pack(stored.file(), stored.sha256(), stored.size(), at, receipt.id());
  }
}
