package io.maestro.tenancy.internal;

import io.maestro.core.TenantId;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import io.maestro.tenancy.Member;
import io.maestro.tenancy.Quotas;
import io.maestro.tenancy.ScopeGuard;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * SQL for the tenancy tables. Every method runs in the caller's transaction and checks that its
 * {@link TenantScope} may see the tenant it names ({@link ScopeGuard}); list queries filter by the
 * scope's tenant in SQL as well, so a tenant-scoped transaction never even asks for other rows.
 */
public final class TenantStore {
  private static final String COLUMNS =
      "tenant_id, name, edition, profile, home_region, regions, status, max_concurrent_runs,"
          + " max_steps_per_minute, max_receipt_backlog, daily_budget_usd, storage_prefix, version,"
          + " created_by, created_at, updated_at, max_storage_bytes, sandbox_max_memory_bytes,"
          + " sandbox_max_cpu_seconds, sandbox_max_processes, demo_operator";

  private final ScopeGuard guard;

  public TenantStore(ScopeGuard guard) {
    this.guard = guard;
  }

  public ScopeGuard guard() {
    return guard;
  }

  public void insert(Tx tx, Tenant t) {
    guard.check(tx.scope(), t.id());
    tx.update(
        "INSERT INTO tenants ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.id().value(),
        t.name(),
        t.edition(),
        t.profile(),
        t.homeRegion(),
        String.join(",", t.regions()),
        t.status().wire(),
        t.quotas().maxConcurrentRuns(),
        t.quotas().maxStepsPerMinute(),
        t.quotas().maxReceiptBacklog(),
        t.dailyBudgetUsd(),
        t.storagePrefix(),
        t.version(),
        t.createdBy(),
        t.createdAt(),
        t.updatedAt(),
        t.quotas().maxStorageBytes(),
        t.quotas().sandbox().maxMemoryBytes(),
        t.quotas().sandbox().maxCpuSeconds(),
        t.quotas().sandbox().maxProcesses(),
        t.demoOperator().orElse(null));
  }

  public boolean exists(Tx tx, TenantId id) {
    return tx.queryOne("SELECT 1 AS x FROM tenants WHERE tenant_id = ?", rs -> 1, id.value())
        .isPresent();
  }

  public Optional<Tenant> find(Tx tx, TenantId id) {
    guard.check(tx.scope(), id);
    return tx.queryOne(
        "SELECT " + COLUMNS + " FROM tenants WHERE tenant_id = ?", TenantStore::tenant, id.value());
  }

  /** Locks the tenant's row for the rest of the transaction (read-modify-write). */
  public Optional<Tenant> findForUpdate(Tx tx, TenantId id) {
    guard.check(tx.scope(), id);
    return tx.queryOne(
        "SELECT " + COLUMNS + " FROM tenants WHERE tenant_id = ? FOR UPDATE",
        TenantStore::tenant,
        id.value());
  }

  /** The tenants the scope may see: all for the platform, its own for a tenant. */
  public List<Tenant> list(Tx tx, int limit, String after) {
    return switch (tx.scope()) {
      case TenantScope.Platform p ->
          tx.query(
              "SELECT " + COLUMNS + " FROM tenants WHERE tenant_id > ? ORDER BY tenant_id LIMIT ?",
              TenantStore::tenant,
              after,
              limit);
      case TenantScope.Tenant t ->
          tx.query(
              "SELECT "
                  + COLUMNS
                  + " FROM tenants WHERE tenant_id = ? AND tenant_id > ? ORDER BY tenant_id LIMIT ?",
              TenantStore::tenant,
              t.id().value(),
              after,
              limit);
    };
  }

  /**
   * Writes {@code t}; returns false when the row is gone or its version is not {@code t.version() -
   * 1}.
   */
  public boolean update(Tx tx, Tenant t) {
    guard.check(tx.scope(), t.id());
    return tx.update(
            "UPDATE tenants SET name = ?, edition = ?, profile = ?, home_region = ?, regions = ?,"
                + " status = ?, max_concurrent_runs = ?, max_steps_per_minute = ?,"
                + " max_receipt_backlog = ?, max_storage_bytes = ?, sandbox_max_memory_bytes = ?,"
                + " sandbox_max_cpu_seconds = ?, sandbox_max_processes = ?, daily_budget_usd = ?,"
                + " version = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND version = ?",
            t.name(),
            t.edition(),
            t.profile(),
            t.homeRegion(),
            String.join(",", t.regions()),
            t.status().wire(),
            t.quotas().maxConcurrentRuns(),
            t.quotas().maxStepsPerMinute(),
            t.quotas().maxReceiptBacklog(),
            t.quotas().maxStorageBytes(),
            t.quotas().sandbox().maxMemoryBytes(),
            t.quotas().sandbox().maxCpuSeconds(),
            t.quotas().sandbox().maxProcesses(),
            t.dailyBudgetUsd(),
            t.version(),
            t.updatedAt(),
            t.id().value(),
            t.version() - 1)
        == 1;
  }

  public List<Member> members(Tx tx, TenantId id) {
    guard.check(tx.scope(), id);
    return tx.query(
        "SELECT tenant_id, subject, role, added_by, added_at FROM tenant_members"
            + " WHERE tenant_id = ? ORDER BY subject",
        TenantStore::member,
        id.value());
  }

  public Optional<Member> member(Tx tx, TenantId id, String subject) {
    guard.check(tx.scope(), id);
    return tx.queryOne(
        "SELECT tenant_id, subject, role, added_by, added_at FROM tenant_members"
            + " WHERE tenant_id = ? AND subject = ?",
        TenantStore::member,
        id.value(),
        subject);
  }

  public void insertMember(Tx tx, Member m) {
    guard.check(tx.scope(), m.tenant());
    tx.update(
        "INSERT INTO tenant_members (tenant_id, subject, role, added_by, added_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        m.tenant().value(),
        m.subject(),
        m.role(),
        m.addedBy(),
        m.addedAt());
  }

  public void updateMember(Tx tx, Member m) {
    guard.check(tx.scope(), m.tenant());
    tx.update(
        "UPDATE tenant_members SET role = ?, added_by = ?, added_at = ?"
            + " WHERE tenant_id = ? AND subject = ?",
        m.role(),
        m.addedBy(),
        m.addedAt(),
        m.tenant().value(),
        m.subject());
  }

  public boolean deleteMember(Tx tx, TenantId id, String subject) {
    guard.check(tx.scope(), id);
    return tx.update(
            "DELETE FROM tenant_members WHERE tenant_id = ? AND subject = ?", id.value(), subject)
        == 1;
  }

  private static Tenant tenant(ResultSet rs) throws SQLException {
    String regions = rs.getString("regions");
    return new Tenant(
        TenantId.of(rs.getString("tenant_id")),
        rs.getString("name"),
        rs.getString("edition"),
        rs.getString("profile"),
        rs.getString("home_region"),
        regions.isEmpty() ? List.of() : Arrays.asList(regions.split(",")),
        TenantStatus.parse(rs.getString("status")),
        new Quotas(
            rs.getInt("max_concurrent_runs"),
            rs.getInt("max_steps_per_minute"),
            rs.getInt("max_receipt_backlog"),
            rs.getLong("max_storage_bytes"),
            new Quotas.SandboxQuota(
                rs.getLong("sandbox_max_memory_bytes"),
                rs.getLong("sandbox_max_cpu_seconds"),
                rs.getLong("sandbox_max_processes"))),
        rs.getBigDecimal("daily_budget_usd"),
        rs.getString("storage_prefix"),
        rs.getLong("version"),
        rs.getString("created_by"),
        Tx.instant(rs, "created_at"),
        Tx.instant(rs, "updated_at"),
        Optional.ofNullable(rs.getString("demo_operator")));
  }

  private static Member member(ResultSet rs) throws SQLException {
    return new Member(
        TenantId.of(rs.getString("tenant_id")),
        rs.getString("subject"),
        rs.getString("role"),
        rs.getString("added_by"),
        Tx.instant(rs, "added_at"));
  }
}
