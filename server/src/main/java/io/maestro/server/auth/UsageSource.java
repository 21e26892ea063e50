package io.maestro.server.auth;

import io.maestro.core.TenantId;
import io.maestro.tenancy.Usage;

/**
 * A tenant's current use of its quotas, read when an action would consume capacity. Implementations
 * read under the tenant's own scope and must be cheap: they run on the request path.
 */
@FunctionalInterface
public interface UsageSource {
  UsageSource NONE = tenant -> Usage.NONE;

  Usage usage(TenantId tenant);
}
