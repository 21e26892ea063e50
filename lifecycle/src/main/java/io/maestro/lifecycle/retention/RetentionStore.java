package io.maestro.lifecycle.retention;

import com.fasterxml.jackson.core.type.TypeReference;
import io.maestro.core.json.Json;
import io.maestro.store.Tx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of the lifecycle module's retention tables; only the lifecycle module uses it. */
final class RetentionStore {
  private static final String RULE_COLUMNS =
      "data_class, keep_days, set_by, decision_id, policy_version, set_at";
  private static final String HOLD_COLUMNS =
      "id, reason, placed_by, placed_at, released_by, released_at, release_reason";
  private static final String BATCH_COLUMNS =
      "id, data_class, cutoff, item_count, merkle_root, counts, receipt_id, ran_at";

  public List<RetentionRule> rules(Tx tx, String tenant) {
    return tx.query(
        "SELECT "
            + RULE_COLUMNS
            + " FROM lifecycle_retention_rules WHERE tenant_id = ?"
            + " ORDER BY data_class",
        RetentionStore::rule,
        tenant);
  }

  /** Inserts or replaces the tenant's rule for the class. */
  public void putRule(Tx tx, String tenant, RetentionRule r) {
    tx.update(
        "DELETE FROM lifecycle_retention_rules WHERE tenant_id = ? AND data_class = ?",
        tenant,
        r.dataClass().wire());
    tx.update(
        "INSERT INTO lifecycle_retention_rules (tenant_id, "
            + RULE_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
        tenant,
        r.dataClass().wire(),
        r.keepDays(),
        r.setBy(),
        r.decisionId(),
        r.policyVersion(),
        r.setAt());
  }

  /**
   * Locks the tenant's rule for the class until the transaction ends, so two servers never remove
   * the same batch; false when the rule was removed meanwhile.
   */
  public boolean lockRule(Tx tx, String tenant, DataClass c) {
    return !tx.query(
            "SELECT keep_days FROM lifecycle_retention_rules WHERE tenant_id = ?"
                + " AND data_class = ? FOR UPDATE",
            rs -> rs.getInt(1),
            tenant,
            c.wire())
        .isEmpty();
  }

  public boolean removeRule(Tx tx, String tenant, DataClass c) {
    return tx.update(
            "DELETE FROM lifecycle_retention_rules WHERE tenant_id = ? AND data_class = ?",
            tenant,
            c.wire())
        > 0;
  }

  /** Tenants that have at least one rule (read under the platform scope). */
  public List<String> tenantsWithRules(Tx tx) {
    return tx.query(
        "SELECT DISTINCT tenant_id FROM lifecycle_retention_rules ORDER BY tenant_id",
        rs -> rs.getString(1));
  }

  public List<LegalHold> holds(Tx tx, String tenant) {
    return tx.query(
        "SELECT "
            + HOLD_COLUMNS
            + " FROM lifecycle_legal_holds WHERE tenant_id = ?"
            + " ORDER BY placed_at DESC, id DESC",
        RetentionStore::hold,
        tenant);
  }

  public Optional<LegalHold> hold(Tx tx, String tenant, String id) {
    return tx.queryOne(
        "SELECT " + HOLD_COLUMNS + " FROM lifecycle_legal_holds WHERE tenant_id = ? AND id = ?",
        RetentionStore::hold,
        tenant,
        id);
  }

  /** Whether the tenant has an active legal hold. */
  public boolean held(Tx tx, String tenant) {
    return tx.queryOne(
                "SELECT COUNT(*) FROM lifecycle_legal_holds WHERE tenant_id = ?"
                    + " AND released_at IS NULL",
                rs -> rs.getLong(1),
                tenant)
            .orElse(0L)
        > 0;
  }

  public void insertHold(Tx tx, String tenant, LegalHold h) {
    tx.update(
        "INSERT INTO lifecycle_legal_holds (tenant_id, id, reason, placed_by, placed_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        tenant,
        h.id(),
        h.reason(),
        h.placedBy(),
        h.placedAt());
  }

  /** Releases an active hold; false when it was not active. */
  public boolean release(Tx tx, String tenant, String id, String by, Instant at, String reason) {
    return tx.update(
            "UPDATE lifecycle_legal_holds SET released_by = ?, released_at = ?,"
                + " release_reason = ? WHERE tenant_id = ? AND id = ? AND released_at IS NULL",
            by,
            at,
            reason,
            tenant,
            id)
        > 0;
  }

  public void insertBatch(Tx tx, String tenant, RetentionBatch b) {
    tx.update(
        "INSERT INTO lifecycle_retention_batches (tenant_id, "
            + BATCH_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tenant,
        b.id(),
        b.dataClass().wire(),
        b.cutoff(),
        b.itemCount(),
        b.merkleRoot(),
        Json.MAPPER.valueToTree(new java.util.TreeMap<>(b.counts())).toString(),
        b.receiptId(),
        b.ranAt());
  }

  public List<RetentionBatch> batches(Tx tx, String tenant, int limit) {
    return tx.query(
        "SELECT "
            + BATCH_COLUMNS
            + " FROM lifecycle_retention_batches WHERE tenant_id = ?"
            + " ORDER BY ran_at DESC, id DESC LIMIT "
            + Math.max(1, limit),
        RetentionStore::batch,
        tenant);
  }

  private static RetentionRule rule(ResultSet rs) throws SQLException {
    return new RetentionRule(
        DataClass.parse(rs.getString("data_class")).orElseThrow(),
        rs.getInt("keep_days"),
        rs.getString("set_by"),
        rs.getString("decision_id"),
        rs.getString("policy_version"),
        Tx.instant(rs, "set_at"));
  }

  private static LegalHold hold(ResultSet rs) throws SQLException {
    return new LegalHold(
        rs.getString("id"),
        rs.getString("reason"),
        rs.getString("placed_by"),
        Tx.instant(rs, "placed_at"),
        Optional.ofNullable(rs.getString("released_by")),
        Optional.ofNullable(Tx.instant(rs, "released_at")),
        Optional.ofNullable(rs.getString("release_reason")));
  }

  private static RetentionBatch batch(ResultSet rs) throws SQLException {
    Map<String, Long> counts;
    try {
      counts = Json.MAPPER.readValue(rs.getString("counts"), new TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RetentionBatch(
        rs.getString("id"),
        DataClass.parse(rs.getString("data_class")).orElseThrow(),
        Tx.instant(rs, "cutoff"),
        rs.getInt("item_count"),
        rs.getString("merkle_root"),
        counts,
        rs.getString("receipt_id"),
        Tx.instant(rs, "ran_at"));
  }
}
