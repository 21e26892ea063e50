package io.maestro.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.governance.internal.ControlChanges;
import io.maestro.governance.internal.ReceiptSupport;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Throttles on tenants' starts: applied (by the rollback controller under its decision, when the
 * policy chooses it for a breach) and lifted (by the controller on recovery, or by a person), each
 * a receipt in the tenant's log and a change every server process hears. They refuse nothing
 * themselves: the policy sees them in {@code input.governance.throttles}.
 */
public final class Throttles {
  private static final String COLUMNS =
      "id, tenant_id, max_concurrent_runs, reason, incident_id, applied_by, applied_at,"
          + " released_at, released_by";

  private final Database db;
  private final ReceiptSupport receipts;
  private final ControlChanges changes;
  private final Clock clock;
  private final Ids ids;

  Throttles(Database db, ReceiptSupport receipts, ControlChanges changes, Clock clock, Ids ids) {
    this.db = db;
    this.receipts = receipts;
    this.changes = changes;
    this.clock = clock;
    this.ids = ids;
  }

  /** Holds {@code tenant}'s starts to {@code maxConcurrentRuns} (at least 1) until lifted. */
  public Throttle apply(
      Actor actor,
      Decision decision,
      TenantId tenant,
      int maxConcurrentRuns,
      String reason,
      Optional<String> incident) {
    if (maxConcurrentRuns < 1) {
      throw MaestroException.of(
          ControlErrors.THROTTLE_INVALID,
          "maxConcurrentRuns must be at least 1, not " + maxConcurrentRuns);
    }
    String why = reason == null ? "" : reason.strip();
    if (why.length() > 500) {
      throw MaestroException.of(ControlErrors.THROTTLE_INVALID, "reason is over 500 characters");
    }
    Throttle t =
        new Throttle(
            ids.next("th"),
            tenant.value(),
            maxConcurrentRuns,
            why,
            incident,
            actor.subject(),
            clock.instant(),
            Optional.empty(),
            Optional.empty());
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          tx.update(
              "INSERT INTO governance_throttles (id, tenant_id, max_concurrent_runs, reason,"
                  + " incident_id, applied_by, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
              t.id(),
              t.tenant(),
              t.maxConcurrentRuns(),
              t.reason(),
              t.incident().orElse(null),
              t.appliedBy(),
              t.appliedAt());
          receipt(tx, actor, decision, t, ReceiptTypes.THROTTLE_APPLIED);
          return t;
        });
  }

  /** Lifts an active throttle of {@code tenant}. */
  public Throttle release(Actor actor, Decision decision, TenantId tenant, String id) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Throttle t =
              get(tx, tenant, id)
                  .filter(Throttle::active)
                  .orElseThrow(
                      () ->
                          MaestroException.of(
                              ControlErrors.THROTTLE_NOT_FOUND, "no active throttle " + id));
          tx.update(
              "UPDATE governance_throttles SET released_at = ?, released_by = ?"
                  + " WHERE tenant_id = ? AND id = ? AND released_at IS NULL",
              clock.instant(),
              actor.subject(),
              tenant.value(),
              id);
          Throttle after = get(tx, tenant, id).orElseThrow();
          receipt(tx, actor, decision, after, ReceiptTypes.THROTTLE_RELEASED);
          return after;
        });
  }

  /** The tenant's throttles, active ones first, newest first within each, at most 200. */
  public List<Throttle> list(TenantId tenant) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            tx.query(
                "SELECT "
                    + COLUMNS
                    + " FROM governance_throttles WHERE tenant_id = ?"
                    + " ORDER BY CASE WHEN released_at IS NULL THEN 0 ELSE 1 END, applied_at DESC,"
                    + " id DESC LIMIT 200",
                Throttles::row,
                tenant.value()));
  }

  /** The tenant's active throttles (what the policy input carries). */
  public List<Throttle> active(TenantId tenant) {
    return db.inTransaction(TenantScope.of(tenant), tx -> active(tx, tenant));
  }

  List<Throttle> active(Tx tx, TenantId tenant) {
    return tx.query(
        "SELECT "
            + COLUMNS
            + " FROM governance_throttles WHERE tenant_id = ? AND released_at IS NULL"
            + " ORDER BY applied_at, id",
        Throttles::row,
        tenant.value());
  }

  public Optional<Throttle> get(TenantId tenant, String id) {
    return db.inTransaction(TenantScope.of(tenant), tx -> get(tx, tenant, id));
  }

  private static Optional<Throttle> get(Tx tx, TenantId tenant, String id) {
    return tx.queryOne(
        "SELECT " + COLUMNS + " FROM governance_throttles WHERE tenant_id = ? AND id = ?",
        Throttles::row,
        tenant.value(),
        id);
  }

  private void receipt(
      Tx tx, Actor actor, Decision decision, Throttle t, io.maestro.provenance.ReceiptType type) {
    ObjectNode payload = ControlJson.throttle(t);
    String action = type == ReceiptTypes.THROTTLE_APPLIED ? "throttle.apply" : "throttle.release";
    receipts.append(tx, t.tenant(), type, actor, action, "throttle", t.id(), decision, payload);
    changes.announce(tx, t.tenant());
  }

  private static Throttle row(ResultSet rs) throws SQLException {
    return new Throttle(
        rs.getString("id"),
        rs.getString("tenant_id"),
        rs.getInt("max_concurrent_runs"),
        rs.getString("reason"),
        Optional.ofNullable(rs.getString("incident_id")),
        rs.getString("applied_by"),
        Tx.instant(rs, "applied_at"),
        Optional.ofNullable(Tx.instant(rs, "released_at")),
        Optional.ofNullable(rs.getString("released_by")));
  }
}
