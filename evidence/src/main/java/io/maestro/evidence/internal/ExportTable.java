package io.maestro.evidence.internal;

import io.maestro.core.TenantId;
import io.maestro.core.purge.RowDigest;
import io.maestro.store.Tx;
import java.time.Instant;
import java.util.List;

/** The {@code evidence_exports} table: one row per disclosure pack produced. */
public final class ExportTable {
  private ExportTable() {}

  /** The columns {@link #row} reads. */
  static final String COLUMNS =
      "export_id, run_id, region, withheld, sha256, size_bytes, blob, receipt_id, created_at";

  /** One export as stored. */
  public record Row(
      String exportId,
      String runId,
      String region,
      String withheld,
      String sha256,
      long sizeBytes,
      String blob,
      String receiptId,
      Instant createdAt) {}

  public static void insert(Tx tx, TenantId tenant, Row r) {
    tx.update(
        "INSERT INTO evidence_exports (tenant_id, export_id, run_id, region, withheld, sha256,"
            + " size_bytes, blob, receipt_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        tenant.value(),
        r.exportId(),
        r.runId(),
        r.region(),
        r.withheld(),
        r.sha256(),
        r.sizeBytes(),
        r.blob(),
        r.receiptId(),
        r.createdAt());
  }

  /** The tenant's exports of a run, oldest first. */
  public static List<Row> forRun(Tx tx, TenantId tenant, String runId) {
    return tx.query(
        "SELECT "
            + COLUMNS
            + " FROM evidence_exports WHERE tenant_id = ? AND run_id = ?"
            + " ORDER BY created_at, export_id",
        ExportTable::row,
        tenant.value(),
        runId);
  }

  /** A row of the columns {@link #COLUMNS}. */
  static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Row(
        rs.getString("export_id"),
        rs.getString("run_id"),
        rs.getString("region"),
        rs.getString("withheld"),
        rs.getString("sha256"),
        rs.getLong("size_bytes"),
        rs.getString("blob"),
        rs.getString("receipt_id"),
        Tx.instant(rs, "created_at"));
  }

  /**
   * Deletes at most {@code limit} of the tenant's exports made before {@code before}, the oldest
   * first, and returns each as it was: its id, the digest of its row, and its blob.
   */
  public static List<Expired> deleteBefore(Tx tx, TenantId tenant, Instant before, int limit) {
    List<Expired> rows =
        tx.query(
            "SELECT tenant_id, export_id, run_id, region, withheld, sha256, size_bytes, blob,"
                + " receipt_id, created_at FROM evidence_exports WHERE tenant_id = ? AND"
                + " created_at < ? ORDER BY created_at, export_id LIMIT "
                + Math.max(1, limit),
            rs -> new Expired(rs.getString("export_id"), RowDigest.of(rs), rs.getString("blob")),
            tenant.value(),
            before);
    for (Expired r : rows) {
      tx.update(
          "DELETE FROM evidence_exports WHERE tenant_id = ? AND export_id = ?",
          tenant.value(),
          r.exportId());
    }
    return rows;
  }

  /** Whether any export of the tenant still names {@code blob} (packs are content-addressed). */
  public static boolean blobInUse(Tx tx, TenantId tenant, String blob) {
    return tx.queryOne(
                "SELECT COUNT(*) AS n FROM evidence_exports WHERE tenant_id = ? AND blob = ?",
                rs -> rs.getLong("n"),
                tenant.value(),
                blob)
            .orElse(0L)
        > 0;
  }

  /** An export deleted by {@link #deleteBefore}. */
  public record Expired(String exportId, String digest, String blob) {}
}
