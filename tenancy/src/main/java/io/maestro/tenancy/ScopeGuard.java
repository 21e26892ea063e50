package io.maestro.tenancy;

import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.store.TenantScope;

/**
 * The code-level tenant check: a transaction scoped to one tenant may not touch another tenant's
 * rows. On PostgreSQL row-level security enforces the same boundary underneath; {@link
 * #DATABASE_ONLY} switches the code-level check off so the isolation suite can prove that RLS alone
 * holds. Production always uses {@link #ENFORCING}.
 */
public enum ScopeGuard {
  ENFORCING,
  DATABASE_ONLY;

  /**
   * Throws {@code tenant_not_found} when {@code scope} may not see {@code tenant}: the answer a
   * foreign tenant gets must not reveal whether the tenant exists.
   */
  public void check(TenantScope scope, TenantId tenant) {
    if (this == DATABASE_ONLY) {
      return;
    }
    if (scope instanceof TenantScope.Tenant t && !t.id().equals(tenant)) {
      throw MaestroException.of(TenancyErrors.TENANT_NOT_FOUND, "no tenant " + tenant);
    }
  }

  public boolean enforcing() {
    return this == ENFORCING;
  }
}
