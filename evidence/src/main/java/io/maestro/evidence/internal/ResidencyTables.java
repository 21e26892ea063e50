package io.maestro.evidence.internal;

import io.maestro.core.TenantId;
import io.maestro.store.Tx;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The residency auditor's tables: {@code residency_tags} (region tags of immutable artifacts,
 * indexed once), {@code residency_cursors} (how far each receipt log was read) and {@code
 * residency_findings} (one row per violation).
 */
public final class ResidencyTables {
  private ResidencyTables() {}

  /** A region tag of an indexed artifact; region is empty for an artifact without one. */
  public record Tag(String kind, String ref, String region, String subject) {}

  /** A finding as stored. */
  public record FindingRow(
      String kind,
      String ref,
      String region,
      String subject,
      String detail,
      String receiptId,
      Instant firstSeen,
      Instant lastSeen,
      Optional<Instant> resolvedAt) {}

  public static void insertTag(Tx tx, TenantId tenant, Tag t) {
    tx.update(
        "INSERT INTO residency_tags (tenant_id, kind, ref, region, subject) VALUES (?,?,?,?,?)",
        tenant.value(),
        t.kind(),
        t.ref(),
        t.region(),
        t.subject());
  }

  public static List<Tag> tags(Tx tx, TenantId tenant) {
    return tx.query(
        "SELECT kind, ref, region, subject FROM residency_tags WHERE tenant_id = ?"
            + " ORDER BY kind, ref, region",
        rs ->
            new Tag(
                rs.getString("kind"),
                rs.getString("ref"),
                rs.getString("region"),
                rs.getString("subject")),
        tenant.value());
  }

  /** The tenant's exports that have no tag rows yet (not indexed). */
  public static List<ExportTable.Row> unindexedExports(Tx tx, TenantId tenant) {
    return tx.query(
        "SELECT "
            + ExportTable.COLUMNS
            + " FROM evidence_exports e WHERE e.tenant_id = ? AND NOT EXISTS"
            + " (SELECT 1 FROM residency_tags t WHERE t.tenant_id = e.tenant_id"
            + " AND t.kind = 'export' AND t.ref = e.export_id) ORDER BY created_at, export_id",
        ExportTable::row,
        tenant.value());
  }

  public static long receiptCursor(Tx tx, TenantId tenant) {
    return tx.queryOne(
            "SELECT receipts_after FROM residency_cursors WHERE tenant_id = ?",
            rs -> rs.getLong(1),
            tenant.value())
        .orElse(0L);
  }

  public static void setReceiptCursor(Tx tx, TenantId tenant, long after) {
    if (tx.update(
            "UPDATE residency_cursors SET receipts_after = ? WHERE tenant_id = ?",
            after,
            tenant.value())
        == 0) {
      tx.update(
          "INSERT INTO residency_cursors (tenant_id, receipts_after) VALUES (?,?)",
          tenant.value(),
          after);
    }
  }

  /** Every finding of the tenant, open or resolved. */
  public static List<FindingRow> findings(Tx tx, TenantId tenant) {
    return tx.query(
        "SELECT kind, ref, region, subject, detail, receipt_id, first_seen, last_seen,"
            + " resolved_at FROM residency_findings WHERE tenant_id = ?"
            + " ORDER BY first_seen, kind, ref, region",
        rs ->
            new FindingRow(
                rs.getString("kind"),
                rs.getString("ref"),
                rs.getString("region"),
                rs.getString("subject"),
                rs.getString("detail"),
                rs.getString("receipt_id"),
                Tx.instant(rs, "first_seen"),
                Tx.instant(rs, "last_seen"),
                rs.getObject("resolved_at") == null
                    ? Optional.empty()
                    : Optional.of(Tx.instant(rs, "resolved_at"))),
        tenant.value());
  }

  /** Records a new finding, or reopens a resolved one with its new receipt. */
  public static void open(Tx tx, TenantId tenant, FindingRow f, boolean reopen) {
    if (reopen) {
      tx.update(
          "UPDATE residency_findings SET subject = ?, detail = ?, receipt_id = ?, first_seen = ?,"
              + " last_seen = ?, resolved_at = NULL WHERE tenant_id = ? AND kind = ? AND ref = ?"
              + " AND region = ?",
          f.subject(),
          f.detail(),
          f.receiptId(),
          f.firstSeen(),
          f.lastSeen(),
          tenant.value(),
          f.kind(),
          f.ref(),
          f.region());
      return;
    }
    tx.update(
        "INSERT INTO residency_findings (tenant_id, kind, ref, region, subject, detail,"
            + " receipt_id, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?)",
        tenant.value(),
        f.kind(),
        f.ref(),
        f.region(),
        f.subject(),
        f.detail(),
        f.receiptId(),
        f.firstSeen(),
        f.lastSeen());
  }

  public static void seen(Tx tx, TenantId tenant, FindingRow f, Instant at) {
    tx.update(
        "UPDATE residency_findings SET last_seen = ? WHERE tenant_id = ? AND kind = ? AND ref = ?"
            + " AND region = ?",
        at,
        tenant.value(),
        f.kind(),
        f.ref(),
        f.region());
  }

  public static void resolve(Tx tx, TenantId tenant, FindingRow f, Instant at) {
    tx.update(
        "UPDATE residency_findings SET resolved_at = ? WHERE tenant_id = ? AND kind = ? AND ref = ?"
            + " AND region = ?",
        at,
        tenant.value(),
        f.kind(),
        f.ref(),
        f.region());
  }
}
