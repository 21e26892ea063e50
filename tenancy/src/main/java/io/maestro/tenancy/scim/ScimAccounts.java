package io.maestro.tenancy.scim;

import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import io.maestro.tenancy.Member;
import io.maestro.tenancy.Roles;
import io.maestro.tenancy.Tenants;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A tenant's users as an identity provider provisions them over SCIM 2.0 (RFC 7643/7644): a user is
 * a member of the tenant (its role is its one group), plus what the provider says about it ({@code
 * externalId}, {@code displayName}). Deactivating a user removes its membership — it can no longer
 * act — and keeps its account, with the role it held, for reactivation. Every membership change
 * goes through {@link Tenants} and is a {@code member.changed} receipt like any other. Who may
 * provision is the policy's decision ({@code member.read}, {@code member.write}, {@code
 * member.remove}), made before these methods are called.
 */
public final class ScimAccounts {
  public static final ErrorCode SCIM_CONFLICT =
      new ErrorCode("scim_conflict", 409, "A user with this userName already exists");
  public static final ErrorCode SCIM_USER_NOT_FOUND =
      new ErrorCode("scim_user_not_found", 404, "No such SCIM user in this tenant");
  public static final ErrorCode SCIM_GROUP_NOT_FOUND =
      new ErrorCode("scim_group_not_found", 404, "No such group: groups are the tenant roles");
  public static final ErrorCode SCIM_INVALID =
      new ErrorCode("scim_invalid", 400, "The SCIM request is not one this server understands");
  public static final ErrorCode SCIM_INVALID_FILTER =
      new ErrorCode(
          "scim_invalid_filter",
          400,
          "Filters are one attribute, eq, and a value (RFC 7644 3.4.2.2)");

  /** The role a user provisioned without a group holds: the least one. */
  public static final String DEFAULT_ROLE = Roles.READ_ONLY;

  /** The tenant roles offered as groups (external workers are not people). */
  public static final List<String> GROUPS =
      List.of(
          Roles.TENANT_ADMIN,
          Roles.WORKFLOW_AUTHOR,
          Roles.WORKFLOW_REVIEWER,
          Roles.OPERATOR,
          Roles.READ_ONLY);

  private final Database db;
  private final Tenants tenants;
  private final Clock clock;

  /** A user as SCIM shows it. */
  public record Account(
      String subject,
      Optional<String> externalId,
      Optional<String> displayName,
      String role,
      boolean active,
      Instant created,
      Instant updated) {}

  public ScimAccounts(Database db, Tenants tenants, Clock clock) {
    this.db = db;
    this.tenants = tenants;
    this.clock = clock;
  }

  /** Every user of the tenant: its members, and the deactivated accounts. */
  public List<Account> list(TenantScope scope, TenantId tenant) {
    Map<String, Account> out = new TreeMap<>();
    Map<String, Account> stored = new TreeMap<>();
    db.inTransaction(scope, tx -> rows(tx, tenant)).forEach(a -> stored.put(a.subject(), a));
    for (Member m : tenants.members(scope, tenant)) {
      if (m.role().equals(Roles.WORKER)) {
        continue;
      }
      Account a = stored.get(m.subject());
      out.put(
          m.subject(),
          new Account(
              m.subject(),
              a == null ? Optional.empty() : a.externalId(),
              a == null ? Optional.empty() : a.displayName(),
              m.role(),
              true,
              a == null ? m.addedAt() : a.created(),
              a == null ? m.addedAt() : a.updated()));
    }
    stored.values().stream().filter(a -> !a.active()).forEach(a -> out.putIfAbsent(a.subject(), a));
    return new ArrayList<>(out.values());
  }

  public Optional<Account> find(TenantScope scope, TenantId tenant, String subject) {
    return list(scope, tenant).stream().filter(a -> a.subject().equals(subject)).findFirst();
  }

  public Account get(TenantScope scope, TenantId tenant, String subject) {
    return find(scope, tenant, subject)
        .orElseThrow(() -> MaestroException.of(SCIM_USER_NOT_FOUND, "no user " + subject));
  }

  /** Provisions a user; {@code scim_conflict} when the tenant already has one by that name. */
  public Account create(
      Actor actor,
      Decision decision,
      TenantScope scope,
      TenantId tenant,
      String subject,
      Optional<String> externalId,
      Optional<String> displayName,
      boolean active) {
    if (find(scope, tenant, subject).isPresent()) {
      throw MaestroException.of(SCIM_CONFLICT, subject + " already exists in " + tenant);
    }
    if (active) {
      tenants.putMember(actor, scope, tenant, subject, DEFAULT_ROLE, decision);
    }
    save(scope, tenant, subject, externalId, displayName, DEFAULT_ROLE, active);
    return get(scope, tenant, subject);
  }

  /**
   * Changes a user's attributes and, when {@code active} changes, its membership: deactivating
   * removes it (keeping the role for later), reactivating restores that role.
   */
  public Account update(
      Actor actor,
      Decision decision,
      TenantScope scope,
      TenantId tenant,
      String subject,
      Optional<String> externalId,
      Optional<String> displayName,
      Optional<Boolean> active) {
    Account a = get(scope, tenant, subject);
    boolean nowActive = active.orElse(a.active());
    if (a.active() && !nowActive) {
      tenants.removeMember(actor, scope, tenant, subject, decision);
    } else if (!a.active() && nowActive) {
      tenants.putMember(actor, scope, tenant, subject, a.role(), decision);
    }
    save(
        scope,
        tenant,
        subject,
        externalId.or(a::externalId),
        displayName.or(a::displayName),
        a.role(),
        nowActive);
    return get(scope, tenant, subject);
  }

  /** Removes the user altogether: its membership and its account. */
  public void delete(Actor actor, Decision decision, TenantScope scope, TenantId tenant, String s) {
    Account a = get(scope, tenant, s);
    if (a.active()) {
      tenants.removeMember(actor, scope, tenant, s, decision);
    }
    db.useTransaction(
        scope,
        tx ->
            tx.update(
                "DELETE FROM tenancy_scim_accounts WHERE tenant_id = ? AND subject = ?",
                tenant.value(),
                s));
  }

  /**
   * Puts a user in group {@code role} (its one role); {@code remove} takes it out again, leaving it
   * the {@link #DEFAULT_ROLE}. A deactivated user's remembered role changes the same way.
   */
  public void group(
      Actor actor,
      Decision decision,
      TenantScope scope,
      TenantId tenant,
      String role,
      String subject,
      boolean remove) {
    requireGroup(role);
    Account a = get(scope, tenant, subject);
    String next = remove ? (a.role().equals(role) ? DEFAULT_ROLE : a.role()) : role;
    if (next.equals(a.role())) {
      return;
    }
    if (a.active()) {
      tenants.putMember(actor, scope, tenant, subject, next, decision);
    }
    save(scope, tenant, subject, a.externalId(), a.displayName(), next, a.active());
  }

  public static void requireGroup(String role) {
    if (!GROUPS.contains(role)) {
      throw MaestroException.of(
          SCIM_GROUP_NOT_FOUND, "no group " + role + "; groups: " + String.join(", ", GROUPS));
    }
  }

  private void save(
      TenantScope scope,
      TenantId tenant,
      String subject,
      Optional<String> externalId,
      Optional<String> displayName,
      String role,
      boolean active) {
    Instant now = clock.instant();
    db.useTransaction(
        scope,
        tx -> {
          int n =
              tx.update(
                  "UPDATE tenancy_scim_accounts SET external_id = ?, display_name = ?, role = ?,"
                      + " active = ?, updated_at = ? WHERE tenant_id = ? AND subject = ?",
                  externalId.orElse(null),
                  displayName.orElse(null),
                  role,
                  active,
                  now,
                  tenant.value(),
                  subject);
          if (n == 0) {
            tx.update(
                "INSERT INTO tenancy_scim_accounts (tenant_id, subject, external_id, display_name,"
                    + " role, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                tenant.value(),
                subject,
                externalId.orElse(null),
                displayName.orElse(null),
                role,
                active,
                now,
                now);
          }
        });
  }

  private static List<Account> rows(Tx tx, TenantId tenant) {
    return tx.query(
        "SELECT subject, external_id, display_name, role, active, created_at, updated_at"
            + " FROM tenancy_scim_accounts WHERE tenant_id = ? ORDER BY subject",
        ScimAccounts::row,
        tenant.value());
  }

  private static Account row(ResultSet rs) throws SQLException {
    return new Account(
        rs.getString("subject"),
        Optional.ofNullable(rs.getString("external_id")),
        Optional.ofNullable(rs.getString("display_name")),
        rs.getString("role"),
        rs.getBoolean("active"),
        Tx.instant(rs, "created_at"),
        Tx.instant(rs, "updated_at"));
  }
}
