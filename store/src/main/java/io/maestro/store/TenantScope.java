package io.maestro.store;

import io.maestro.core.TenantId;
import java.util.Objects;

/**
 * Whose rows a transaction may see. Every repository call takes one, so no query can forget the
 * tenant. {@link Tenant} limits a transaction to one tenant's rows (and on PostgreSQL, row-level
 * security enforces the same limit underneath the code); {@link Platform} is for platform work that
 * spans tenants (provisioning, checkpoints, recovery) and must be chosen explicitly.
 */
public sealed interface TenantScope {

  static TenantScope of(TenantId tenant) {
    return new Tenant(tenant);
  }

  static TenantScope platform() {
    return Platform.INSTANCE;
  }

  /** The tenant, or an {@link IllegalStateException} for the platform scope. */
  TenantId tenant();

  record Tenant(TenantId id) implements TenantScope {
    public Tenant {
      Objects.requireNonNull(id, "tenant");
    }

    @Override
    public TenantId tenant() {
      return id;
    }
  }

  enum Platform implements TenantScope {
    INSTANCE;

    @Override
    public TenantId tenant() {
      throw new IllegalStateException("the platform scope has no single tenant");
    }
  }
}
