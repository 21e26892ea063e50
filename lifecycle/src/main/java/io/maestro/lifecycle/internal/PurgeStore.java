package io.maestro.lifecycle.internal;

import io.maestro.lifecycle.Purge;
import io.maestro.lifecycle.PurgeScope;
import io.maestro.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of the lifecycle module's purge tables; only the lifecycle module uses it. */
public final class PurgeStore {
  private static final String COLUMNS =
      "id, scope, before_at, reason, requested_by, request_decision, approvals_required,"
          + " delay_seconds, state, created_at, execute_after, executed_at, cancelled_by,"
          + " cancelled_at, manifest_digest, tenant_id";

  public void insert(Tx tx, Purge p) {
    tx.update(
        "INSERT INTO lifecycle_purges ("
            + COLUMNS
            + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.id(),
        p.scope().wire(),
        p.before().orElse(null),
        p.reason(),
        p.requestedBy(),
        p.requestDecision(),
        p.approvalsRequired(),
        p.delay().toSeconds(),
        p.state(),
        p.createdAt(),
        null,
        null,
        null,
        null,
        null,
        p.tenant());
  }

  public Optional<Purge> find(Tx tx, String tenant, String id) {
    return tx.queryOne(
            "SELECT " + COLUMNS + " FROM lifecycle_purges WHERE tenant_id = ? AND id = ?",
            PurgeStore::row,
            tenant,
            id)
        .map(p -> withApprovals(tx, p));
  }

  public List<Purge> list(Tx tx, String tenant) {
    return tx
        .query(
            "SELECT " + COLUMNS + " FROM lifecycle_purges WHERE tenant_id = ? ORDER BY id DESC",
            PurgeStore::row,
            tenant)
        .stream()
        .map(p -> withApprovals(tx, p))
        .toList();
  }

  /** Tenants and ids of scheduled purges due at {@code now} (read under the platform scope). */
  public List<String[]> due(Tx tx, Instant now) {
    return tx.query(
        "SELECT tenant_id, id FROM lifecycle_purges WHERE state = 'scheduled'"
            + " AND execute_after <= ? ORDER BY execute_after",
        rs -> new String[] {rs.getString(1), rs.getString(2)},
        now);
  }

  public void addApproval(Tx tx, String tenant, String id, Purge.Approval a) {
    tx.update(
        "INSERT INTO lifecycle_purge_approvals (tenant_id, purge_id, approver, decision_id,"
            + " approved_at) VALUES (?, ?, ?, ?, ?)",
        tenant,
        id,
        a.approver(),
        a.decisionId(),
        a.at());
  }

  /** Moves a purge from {@code from} to {@code to}; false when it was no longer in {@code from}. */
  public boolean transition(
      Tx tx, String tenant, String id, String from, String to, String column, Object value) {
    return tx.update(
            "UPDATE lifecycle_purges SET state = ?, "
                + column
                + " = ? WHERE tenant_id = ? AND id = ? AND state = ?",
            to,
            value,
            tenant,
            id,
            from)
        == 1;
  }

  public void cancelled(Tx tx, String tenant, String id, String by) {
    tx.update(
        "UPDATE lifecycle_purges SET cancelled_by = ? WHERE tenant_id = ? AND id = ?",
        by,
        tenant,
        id);
  }

  public void storeManifest(Tx tx, String tenant, String id, String digest, String envelope) {
    tx.update(
        "INSERT INTO lifecycle_purge_manifests (tenant_id, purge_id, digest, envelope)"
            + " VALUES (?, ?, ?, ?)",
        tenant,
        id,
        digest,
        envelope);
    tx.update(
        "UPDATE lifecycle_purges SET manifest_digest = ? WHERE tenant_id = ? AND id = ?",
        digest,
        tenant,
        id);
  }

  public Optional<String> manifest(Tx tx, String tenant, String id) {
    return tx.queryOne(
        "SELECT envelope FROM lifecycle_purge_manifests WHERE tenant_id = ? AND purge_id = ?",
        rs -> rs.getString(1),
        tenant,
        id);
  }

  private Purge withApprovals(Tx tx, Purge p) {
    List<Purge.Approval> approvals =
        tx.query(
            "SELECT approver, decision_id, approved_at FROM lifecycle_purge_approvals"
                + " WHERE tenant_id = ? AND purge_id = ? ORDER BY approved_at, approver",
            rs ->
                new Purge.Approval(rs.getString(1), rs.getString(2), Tx.instant(rs, "approved_at")),
            p.tenant(),
            p.id());
    return new Purge(
        p.id(),
        p.tenant(),
        p.scope(),
        p.before(),
        p.reason(),
        p.requestedBy(),
        p.requestDecision(),
        p.approvalsRequired(),
        p.delay(),
        p.state(),
        p.createdAt(),
        p.executeAfter(),
        p.executedAt(),
        p.cancelledBy(),
        p.cancelledAt(),
        p.manifestDigest(),
        approvals);
  }

  private static Purge row(ResultSet rs) throws SQLException {
    return new Purge(
        rs.getString("id"),
        rs.getString("tenant_id"),
        PurgeScope.parse(rs.getString("scope")).orElseThrow(),
        Optional.ofNullable(Tx.instant(rs, "before_at")),
        rs.getString("reason"),
        rs.getString("requested_by"),
        rs.getString("request_decision"),
        rs.getInt("approvals_required"),
        Duration.ofSeconds(rs.getLong("delay_seconds")),
        rs.getString("state"),
        Tx.instant(rs, "created_at"),
        Optional.ofNullable(Tx.instant(rs, "execute_after")),
        Optional.ofNullable(Tx.instant(rs, "executed_at")),
        Optional.ofNullable(rs.getString("cancelled_by")),
        Optional.ofNullable(Tx.instant(rs, "cancelled_at")),
        Optional.ofNullable(rs.getString("manifest_digest")),
        List.of());
  }
}
