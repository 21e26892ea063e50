package io.maestro.evidence.internal;

import io.maestro.core.TenantId;
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
}
