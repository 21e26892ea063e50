package io.maestro.lifecycle.retention;

import io.maestro.core.TenantId;
import io.maestro.store.Tx;

/**
 * Whether a tenant is on legal hold, inside a caller's transaction (a purge checks before it runs).
 */
public final class LegalHolds {
  private static final RetentionStore STORE = new RetentionStore();

  private LegalHolds() {}

  /** Whether {@code tenant} has an active legal hold; read in {@code tx}, scoped to the tenant. */
  public static boolean held(Tx tx, TenantId tenant) {
    return STORE.held(tx, tenant.value());
  }
}
