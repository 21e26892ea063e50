package io.maestro.server.metrics;

import io.maestro.core.TenantId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the cardinality of {@code tenant} labels: the first {@code max} tenants seen keep their
 * id, every later one is {@code other}, and an action without a tenant is {@code platform}. A
 * Prometheus series per tenant is fine for tens of tenants, not for thousands.
 */
final class TenantLabels {
  static final String OTHER = "other";
  static final String PLATFORM = "platform";

  private final int max;
  private final Set<String> kept = ConcurrentHashMap.newKeySet();

  TenantLabels(int max) {
    this.max = max;
  }

  String label(Optional<String> tenant) {
    if (tenant.isEmpty() || tenant.get().isEmpty()) {
      return PLATFORM;
    }
    String t = tenant.get();
    if (!TenantId.isValid(t)) {
      return OTHER;
    }
    if (kept.contains(t)) {
      return t;
    }
    synchronized (kept) {
      if (kept.size() < max) {
        kept.add(t);
        return t;
      }
    }
    return OTHER;
  }
}
