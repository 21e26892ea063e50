package io.maestro.tenancy;

import io.maestro.core.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A tenant as stored: identity, edition and policy profile, where it may run (regions), whether it
 * is active, its quotas and daily budget, and its file partition.
 *
 * @param version incremented by every change; clients send it back in {@code If-Match}
 */
public record Tenant(
    TenantId id,
    String name,
    String edition,
    String profile,
    String homeRegion,
    List<String> regions,
    TenantStatus status,
    Quotas quotas,
    BigDecimal dailyBudgetUsd,
    String storagePrefix,
    long version,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {

  public Tenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(edition, "edition");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(homeRegion, "homeRegion");
    regions = List.copyOf(regions);
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(quotas, "quotas");
    Objects.requireNonNull(dailyBudgetUsd, "dailyBudgetUsd");
    Objects.requireNonNull(storagePrefix, "storagePrefix");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  public boolean active() {
    return status == TenantStatus.ACTIVE;
  }

  /** The per-tenant prefix for files: every file kept for the tenant lives under it. */
  public static String storagePrefixOf(TenantId id) {
    return "tenants/" + id.value() + "/";
  }
}
