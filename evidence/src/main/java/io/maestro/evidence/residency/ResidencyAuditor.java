package io.maestro.evidence.residency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.json.Json;
import io.maestro.evidence.internal.ExportTable;
import io.maestro.evidence.internal.ResidencyTables;
import io.maestro.evidence.internal.ResidencyTables.FindingRow;
import io.maestro.evidence.internal.ResidencyTables.Tag;
import io.maestro.evidence.pack.PackRegions;
import io.maestro.evidence.storage.PackStore;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Checks every artifact of a tenant against the tenant's allowed regions: each run (and with it its
 * steps and logs, which carry the run's region), each stored disclosure pack (its requested region
 * and every file region of its manifest) and each receipt whose payload names a region.
 *
 * <p>A violation is recorded once: the first audit that finds an artifact tagged with a disallowed
 * region appends a {@code residency.violation} receipt and keeps a finding row; later audits that
 * find it again only move its {@code last_seen}; an audit that no longer finds it (the region was
 * allowed again, the run was purged) marks it resolved; if it comes back it is reopened with a new
 * receipt. Packs and receipts never change once written, so their tags are indexed once and an
 * audit reads only what is new; runs are read in full each time, since a run's tag follows its
 * workflow and tenant.
 *
 * <p>Thread-safe: audits are serialized, so two audits of one tenant never race on its findings.
 */
public final class ResidencyAuditor {
  private static final Logger LOG = Logger.getLogger(ResidencyAuditor.class.getName());
  private static final int PAGE = 500;

  /** The action named in violation receipts. */
  public static final String ACTION = "residency.audit";

  /** The actor of the scheduled audits. */
  public static final Actor SCHEDULER = Actor.system("residency-auditor");

  /** Told of each violation when its receipt has committed (the server counts them). */
  @FunctionalInterface
  public interface Observer {
    Observer NONE = (tenant, finding) -> {};

    void violation(TenantId tenant, Finding finding);
  }

  private final Database db;
  private final Provenance provenance;
  private final ResidencySources sources;
  private final PackStore store;
  private final Clock clock;
  private final Observer observer;

  public ResidencyAuditor(
      Database db,
      Provenance provenance,
      ResidencySources sources,
      PackStore store,
      Clock clock,
      Observer observer) {
    this.db = db;
    this.provenance = provenance;
    this.sources = sources;
    this.store = store;
    this.clock = clock;
    this.observer = observer;
  }

  /** Audits every tenant; a tenant whose audit fails is logged and skipped. */
  public List<ResidencyReport> auditAll() {
    List<ResidencyReport> out = new ArrayList<>();
    for (TenantId t : sources.tenants()) {
      try {
        out.add(audit(t, SCHEDULER, Optional.empty()));
      } catch (RuntimeException e) {
        LOG.warning("the residency audit of " + t.value() + " failed: " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * Audits one tenant now.
   *
   * @param decision the decision that allowed the audit, recorded on new violation receipts
   */
  public synchronized ResidencyReport audit(
      TenantId tenant, Actor actor, Optional<Decision> decision) {
    indexReceipts(tenant);
    indexExports(tenant);
    List<String> allowed = sources.allowedRegions(tenant);
    Map<Finding.Key, FindingRow> found = new LinkedHashMap<>();
    int runs = 0;
    Optional<String> cursor = Optional.empty();
    do {
      ResidencySources.RunPage page = sources.runs(tenant, cursor, PAGE);
      for (ResidencySources.RunTag r : page.runs()) {
        runs++;
        if (!allowed.contains(r.region())) {
          String detail =
              "run of "
                  + r.workflow()
                  + "@"
                  + r.version()
                  + " with "
                  + sources.steps(tenant, r.runId())
                  + " step(s) and their logs is tagged "
                  + r.region();
          put(found, Finding.RUN, r.runId(), r.region(), "run:" + r.runId(), detail);
        }
      }
      cursor = page.next();
    } while (cursor.isPresent());
    List<Tag> tags =
        db.inTransaction(TenantScope.of(tenant), tx -> ResidencyTables.tags(tx, tenant));
    Set<String> exports = new TreeSet<>();
    Set<String> receipts = new TreeSet<>();
    for (Tag t : tags) {
      (t.kind().equals(Finding.EXPORT) ? exports : receipts).add(t.ref());
      if (!t.region().isEmpty() && !allowed.contains(t.region())) {
        String detail =
            t.kind().equals(Finding.EXPORT)
                ? "stored disclosure pack " + t.ref() + " holds files tagged " + t.region()
                : "receipt " + t.ref() + " names region " + t.region();
        put(found, t.kind(), t.ref(), t.region(), t.subject(), detail);
      }
    }
    return record(tenant, actor, decision, allowed, found, runs, exports.size(), receipts.size());
  }

  private static void put(
      Map<Finding.Key, FindingRow> found,
      String kind,
      String ref,
      String region,
      String subject,
      String detail) {
    found.put(
        new Finding.Key(kind, ref, region),
        new FindingRow(kind, ref, region, subject, detail, "", null, null, Optional.empty()));
  }

  /** Compares what was found with the stored findings and records the differences, atomically. */
  private ResidencyReport record(
      TenantId tenant,
      Actor actor,
      Optional<Decision> decision,
      List<String> allowed,
      Map<Finding.Key, FindingRow> found,
      int runs,
      int exports,
      int receipts) {
    Instant now = clock.instant();
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Map<Finding.Key, FindingRow> stored = new LinkedHashMap<>();
          for (FindingRow f : ResidencyTables.findings(tx, tenant)) {
            stored.put(new Finding.Key(f.kind(), f.ref(), f.region()), f);
          }
          List<Finding> open = new ArrayList<>();
          List<Finding> resolved = new ArrayList<>();
          for (Map.Entry<Finding.Key, FindingRow> e : found.entrySet()) {
            FindingRow before = stored.get(e.getKey());
            if (before != null && before.resolvedAt().isEmpty()) {
              ResidencyTables.seen(tx, tenant, before, now);
              open.add(finding(before, now, Optional.empty(), false));
              continue;
            }
            FindingRow f = e.getValue();
            Receipt receipt =
                provenance
                    .receipts()
                    .append(tx, violationReceipt(tenant, actor, decision, allowed, f));
            FindingRow row =
                new FindingRow(
                    f.kind(),
                    f.ref(),
                    f.region(),
                    f.subject(),
                    f.detail(),
                    receipt.id(),
                    now,
                    now,
                    Optional.empty());
            ResidencyTables.open(tx, tenant, row, before != null);
            Finding fresh = finding(row, now, Optional.empty(), true);
            open.add(fresh);
            tx.afterCommit(() -> observer.violation(tenant, fresh));
          }
          for (Map.Entry<Finding.Key, FindingRow> e : stored.entrySet()) {
            FindingRow f = e.getValue();
            if (f.resolvedAt().isEmpty() && !found.containsKey(e.getKey())) {
              ResidencyTables.resolve(tx, tenant, f, now);
              resolved.add(finding(f, f.lastSeen(), Optional.of(now), false));
            }
          }
          return new ResidencyReport(tenant, now, allowed, runs, exports, receipts, open, resolved);
        });
  }

  private static Finding finding(
      FindingRow f, Instant lastSeen, Optional<Instant> resolvedAt, boolean fresh) {
    return new Finding(
        f.kind(),
        f.ref(),
        f.region(),
        f.subject(),
        f.detail(),
        f.receiptId(),
        f.firstSeen(),
        lastSeen,
        resolvedAt,
        fresh);
  }

  private ReceiptDraft violationReceipt(
      TenantId tenant,
      Actor actor,
      Optional<Decision> decision,
      List<String> allowed,
      FindingRow f) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("kind", f.kind());
    payload.put("ref", f.ref());
    payload.put("region", f.region());
    payload.put("subject", f.subject());
    allowed.forEach(payload.putArray("allowed")::add);
    payload.put("detail", f.detail());
    ReceiptDraft d =
        ReceiptDraft.of(
                LogId.tenant(tenant),
                ReceiptTypes.RESIDENCY_VIOLATION,
                actor,
                ACTION,
                ReceiptDraft.Subject.of(f.kind(), f.ref()))
            .withPayload(payload);
    return decision.map(d::withDecision).orElse(d);
  }

  /** The tenant's findings as stored, open and resolved, oldest first. */
  public List<Finding> findings(TenantId tenant) {
    return db
        .inTransaction(TenantScope.of(tenant), tx -> ResidencyTables.findings(tx, tenant))
        .stream()
        .map(f -> finding(f, f.lastSeen(), f.resolvedAt(), false))
        .toList();
  }

  /** Indexes the region tags of the receipts appended since the last audit, a page at a time. */
  private void indexReceipts(TenantId tenant) {
    LogId log = LogId.tenant(tenant);
    provenance.sequencer().drain(log);
    boolean more = true;
    while (more) {
      more =
          db.inTransaction(
              TenantScope.of(tenant),
              tx -> {
                long after = ResidencyTables.receiptCursor(tx, tenant);
                ReceiptLog.Page page =
                    provenance
                        .log()
                        .list(
                            tx,
                            log,
                            new ReceiptLog.Query(
                                Optional.empty(), Optional.empty(), after, ReceiptLog.MAX_PAGE));
                long last = after;
                for (Receipt r : page.receipts()) {
                  last = Math.max(last, r.seq());
                  regionOf(r)
                      .ifPresent(
                          region ->
                              ResidencyTables.insertTag(
                                  tx,
                                  tenant,
                                  new Tag(
                                      Finding.RECEIPT,
                                      r.id(),
                                      region,
                                      r.subject().kind() + ":" + r.subject().id())));
                }
                if (last > after) {
                  ResidencyTables.setReceiptCursor(tx, tenant, last);
                }
                return page.nextAfterSeq().isPresent();
              });
    }
  }

  /**
   * The region a receipt's payload names at its top level. The auditor's own receipts name the
   * region they report, which is not a second artifact in it.
   */
  static Optional<String> regionOf(Receipt r) {
    if (r.type().equals(ReceiptTypes.RESIDENCY_VIOLATION) || r.payload().isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode region = Json.MAPPER.readTree(r.payload().get()).path("region");
      return region.isTextual() && !region.asText().isEmpty()
          ? Optional.of(region.asText())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Indexes the region tags of the packs stored since the last audit. */
  private void indexExports(TenantId tenant) {
    List<ExportTable.Row> rows =
        db.inTransaction(
            TenantScope.of(tenant), tx -> ResidencyTables.unindexedExports(tx, tenant));
    for (ExportTable.Row row : rows) {
      Set<String> regions = new TreeSet<>();
      if (row.region() != null) {
        regions.add(row.region());
      }
      regions.addAll(packRegions(tenant, row));
      if (regions.isEmpty()) {
        regions.add("");
      }
      db.useTransaction(
          TenantScope.of(tenant),
          tx -> {
            for (String region : regions) {
              ResidencyTables.insertTag(
                  tx,
                  tenant,
                  new Tag(Finding.EXPORT, row.exportId(), region, "run:" + row.runId()));
            }
          });
    }
  }

  private Set<String> packRegions(TenantId tenant, ExportTable.Row row) {
    Path partition = store.partition(tenant);
    Path file = partition.resolve(row.blob()).normalize();
    if (!file.startsWith(partition) || !Files.isRegularFile(file)) {
      // A pack removed from storage holds nothing any more; its requested region still counts.
      return Set.of();
    }
    try (InputStream in = Files.newInputStream(file)) {
      return PackRegions.read(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read stored pack " + row.exportId(), e);
    }
  }
}
