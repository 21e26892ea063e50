package io.maestro.governance.internal;

import io.maestro.governance.BreakGlassGrant;
import io.maestro.governance.FreezeWindow;
import io.maestro.governance.KillSwitch;
import io.maestro.governance.Ramp;
import io.maestro.governance.RampChange;
import io.maestro.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The SQL of the governance tables; every method runs in the caller's transaction. */
public final class ControlStore {

  public Optional<Ramp> ramp(Tx tx, String tenant, String workflow, String version, String action) {
    return tx.queryOne(
        "SELECT * FROM governance_ramps WHERE tenant_id = ? AND workflow = ? AND version = ?"
            + " AND action = ? FOR UPDATE",
        ControlStore::ramp,
        tenant,
        workflow,
        version,
        action);
  }

  public List<Ramp> ramps(Tx tx, String tenant) {
    return tx.query(
        "SELECT * FROM governance_ramps WHERE tenant_id = ? ORDER BY workflow, version, action",
        ControlStore::ramp,
        tenant);
  }

  /** Every tenant's version rules above 0 %. */
  public List<Ramp> activeCanaries(Tx tx) {
    return tx.query(
        "SELECT * FROM governance_ramps WHERE version <> '' AND percent > 0"
            + " ORDER BY tenant_id, workflow, version, action",
        ControlStore::ramp);
  }

  public void saveRamp(Tx tx, Ramp r, boolean exists) {
    if (exists) {
      tx.update(
          "UPDATE governance_ramps SET percent = ?, step = ?, updated_by = ?, updated_at = ?"
              + " WHERE tenant_id = ? AND workflow = ? AND version = ? AND action = ?",
          r.percent(),
          r.step(),
          r.updatedBy(),
          r.updatedAt(),
          r.tenant(),
          r.workflow(),
          r.version(),
          r.action());
    } else {
      tx.update(
          "INSERT INTO governance_ramps (tenant_id, workflow, version, action, percent, step,"
              + " updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          r.tenant(),
          r.workflow(),
          r.version(),
          r.action(),
          r.percent(),
          r.step(),
          r.updatedBy(),
          r.updatedAt());
    }
  }

  public void addRampChange(Tx tx, String tenant, RampChange c) {
    tx.update(
        "INSERT INTO governance_ramp_history (tenant_id, workflow, version, action, step, diff,"
            + " changed_by, changed_at, decision_id, receipt_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?)",
        tenant,
        c.workflow(),
        c.version(),
        c.action(),
        c.step(),
        c.diff(),
        c.changedBy(),
        c.changedAt(),
        c.decisionId(),
        c.receiptId());
  }

  public List<RampChange> rampHistory(Tx tx, String tenant, Optional<String> workflow, int limit) {
    return tx.query(
        "SELECT * FROM governance_ramp_history WHERE tenant_id = ? AND (? = '' OR workflow = ?)"
            + " ORDER BY seq DESC LIMIT "
            + limit,
        rs ->
            new RampChange(
                rs.getLong("seq"),
                rs.getString("workflow"),
                rs.getString("version"),
                rs.getString("action"),
                rs.getInt("step"),
                rs.getString("diff"),
                rs.getString("changed_by"),
                Tx.instant(rs, "changed_at"),
                rs.getString("decision_id"),
                rs.getString("receipt_id")),
        tenant,
        workflow.orElse(""),
        workflow.orElse(""));
  }

  private static Ramp ramp(ResultSet rs) throws SQLException {
    return new Ramp(
        rs.getString("tenant_id"),
        rs.getString("workflow"),
        rs.getString("version"),
        rs.getString("action"),
        rs.getBigDecimal("percent").stripTrailingZeros(),
        rs.getInt("step"),
        rs.getString("updated_by"),
        Tx.instant(rs, "updated_at"));
  }

  // Kill switches

  public void addKillSwitch(Tx tx, KillSwitch k) {
    tx.update(
        "INSERT INTO governance_kill_switches (id, tenant_id, scope, target, version, mode, reason,"
            + " pulled_by, pulled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        k.id(),
        k.tenant(),
        k.scope().wire(),
        k.target(),
        k.version(),
        k.mode().wire(),
        k.reason(),
        k.pulledBy(),
        k.pulledAt());
  }

  public boolean release(Tx tx, String id, String by, Instant at) {
    return tx.update(
            "UPDATE governance_kill_switches SET released_by = ?, released_at = ? WHERE id = ?"
                + " AND released_at IS NULL",
            by,
            at,
            id)
        == 1;
  }

  /** Active switches of {@code tenant} (or every tenant when null), plus the global ones. */
  public List<KillSwitch> activeKillSwitches(Tx tx, String tenant) {
    return tx.query(
        "SELECT * FROM governance_kill_switches WHERE released_at IS NULL AND (? = '' OR tenant_id"
            + " = ? OR tenant_id = '*') ORDER BY pulled_at, id",
        ControlStore::killSwitch,
        tenant == null ? "" : tenant,
        tenant == null ? "" : tenant);
  }

  public Optional<KillSwitch> killSwitch(Tx tx, String id) {
    return tx.queryOne(
        "SELECT * FROM governance_kill_switches WHERE id = ?", ControlStore::killSwitch, id);
  }

  private static KillSwitch killSwitch(ResultSet rs) throws SQLException {
    return new KillSwitch(
        rs.getString("id"),
        rs.getString("tenant_id"),
        KillSwitch.Scope.parse(rs.getString("scope")).orElseThrow(),
        rs.getString("target"),
        rs.getString("version"),
        KillSwitch.Mode.parse(rs.getString("mode")).orElseThrow(),
        rs.getString("reason"),
        rs.getString("pulled_by"),
        Tx.instant(rs, "pulled_at"),
        Optional.ofNullable(Tx.instant(rs, "released_at")));
  }

  // Freeze windows

  public void addFreeze(Tx tx, FreezeWindow f) {
    tx.update(
        "INSERT INTO governance_freezes (tenant_id, id, kind, starts_at, ends_at, weekly_from,"
            + " weekly_to, zone, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?)",
        f.tenant(),
        f.id(),
        f.kind().wire(),
        f.startsAt().orElse(null),
        f.endsAt().orElse(null),
        f.weeklyFrom(),
        f.weeklyTo(),
        f.zone().getId(),
        f.reason(),
        f.createdBy(),
        f.createdAt());
  }

  public boolean removeFreeze(Tx tx, String tenant, String id, Instant at) {
    return tx.update(
            "UPDATE governance_freezes SET removed_at = ? WHERE tenant_id = ? AND id = ? AND"
                + " removed_at IS NULL",
            at,
            tenant,
            id)
        == 1;
  }

  public List<FreezeWindow> freezes(Tx tx, String tenant) {
    return tx.query(
        "SELECT * FROM governance_freezes WHERE tenant_id = ? AND removed_at IS NULL ORDER BY"
            + " created_at, id",
        rs ->
            new FreezeWindow(
                rs.getString("id"),
                rs.getString("tenant_id"),
                FreezeWindow.Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                Optional.ofNullable(Tx.instant(rs, "starts_at")),
                Optional.ofNullable(Tx.instant(rs, "ends_at")),
                rs.getString("weekly_from"),
                rs.getString("weekly_to"),
                ZoneId.of(rs.getString("zone")),
                rs.getString("reason"),
                rs.getString("created_by"),
                Tx.instant(rs, "created_at")),
        tenant);
  }

  // Break-glass

  public void addGrant(Tx tx, BreakGlassGrant g) {
    tx.update(
        "INSERT INTO governance_break_glass (tenant_id, id, reason, actions, needs_approval,"
            + " opened_by, opened_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        g.tenant(),
        g.id(),
        g.reason(),
        String.join(",", g.actions()),
        g.needsApproval(),
        g.openedBy(),
        g.openedAt(),
        g.expiresAt());
  }

  public void approve(Tx tx, String tenant, String id, String by, Instant at) {
    tx.update(
        "UPDATE governance_break_glass SET approved_by = ?, approved_at = ? WHERE tenant_id = ? AND"
            + " id = ?",
        by,
        at,
        tenant,
        id);
  }

  public boolean close(Tx tx, String tenant, String id, String by, Instant at) {
    return tx.update(
            "UPDATE governance_break_glass SET closed_by = ?, closed_at = ? WHERE tenant_id = ? AND id"
                + " = ? AND closed_at IS NULL",
            by,
            at,
            tenant,
            id)
        == 1;
  }

  /** The tenants with grants past their expiry and not closed yet (read under platform scope). */
  public List<String> tenantsWithExpiredGrants(Tx tx, Instant now) {
    return tx.query(
        "SELECT DISTINCT tenant_id FROM governance_break_glass WHERE closed_at IS NULL AND"
            + " expires_at <= ?",
        rs -> rs.getString("tenant_id"),
        now);
  }

  public void addUse(Tx tx, String tenant, String grant, BreakGlassGrant.Use u) {
    tx.update(
        "INSERT INTO governance_break_glass_uses (tenant_id, grant_id, action, actor, decision_id,"
            + " used_at) VALUES (?, ?, ?, ?, ?, ?)",
        tenant,
        grant,
        u.action(),
        u.actor(),
        u.decisionId(),
        u.at());
  }

  public List<BreakGlassGrant> grants(Tx tx, String tenant, Optional<String> id) {
    List<BreakGlassGrant> bare =
        tx.query(
            "SELECT * FROM governance_break_glass WHERE tenant_id = ? AND (? = '' OR id = ?)"
                + " ORDER BY opened_at DESC, id",
            rs ->
                new BreakGlassGrant(
                    rs.getString("id"),
                    rs.getString("tenant_id"),
                    rs.getString("reason"),
                    Arrays.stream(rs.getString("actions").split(","))
                        .filter(s -> !s.isEmpty())
                        .toList(),
                    rs.getBoolean("needs_approval"),
                    rs.getString("opened_by"),
                    Tx.instant(rs, "opened_at"),
                    Tx.instant(rs, "expires_at"),
                    Optional.ofNullable(rs.getString("approved_by")),
                    Optional.ofNullable(Tx.instant(rs, "approved_at")),
                    Optional.ofNullable(rs.getString("closed_by")),
                    Optional.ofNullable(Tx.instant(rs, "closed_at")),
                    List.of()),
            tenant,
            id.orElse(""),
            id.orElse(""));
    return bare.stream()
        .map(
            g ->
                new BreakGlassGrant(
                    g.id(),
                    g.tenant(),
                    g.reason(),
                    g.actions(),
                    g.needsApproval(),
                    g.openedBy(),
                    g.openedAt(),
                    g.expiresAt(),
                    g.approvedBy(),
                    g.approvedAt(),
                    g.closedBy(),
                    g.closedAt(),
                    uses(tx, tenant, g.id())))
        .toList();
  }

  private List<BreakGlassGrant.Use> uses(Tx tx, String tenant, String grant) {
    return tx.query(
        "SELECT * FROM governance_break_glass_uses WHERE tenant_id = ? AND grant_id = ? ORDER BY"
            + " seq",
        rs ->
            new BreakGlassGrant.Use(
                rs.getString("action"),
                rs.getString("actor"),
                rs.getString("decision_id"),
                Tx.instant(rs, "used_at")),
        tenant,
        grant);
  }
}
