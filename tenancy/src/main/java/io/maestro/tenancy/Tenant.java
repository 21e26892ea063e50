package io.maestro.tenancy;

import io.maestro.core.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant as stored: identity, edition and policy profile, where it may run (regions), whether it
 * is active, its quotas and daily budget, and its file partition.
 *
 * @param version incremented by every change; clients send it back in {@code If-Match}
 * @param demoOperator for a demo tenant ({@code demo.create}, ADR 0053), the platform subject that
 *     provisioned it: the tenant's profile may let that operator act in it
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
    Instant updatedAt,
    Optional<String> demoOperator) {

  /** A tenant that is not a demo tenant. */
  public Tenant(
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
    this(
        id,
        name,
        edition,
        profile,
        homeRegion,
        regions,
        status,
        quotas,
        dailyBudgetUsd,
        storagePrefix,
        version,
        createdBy,
        createdAt,
        updatedAt,
        Optional.empty());
  }

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
    Objects.requireNonNull(demoOperator, "demoOperator");
  }

  /** This tenant as a demo tenant whose operator is {@code subject}. */
  public Tenant asDemoOf(String subject) {
    return new Tenant(
        id,
        name,
        edition,
        profile,
        homeRegion,
        regions,
        status,
        quotas,
        dailyBudgetUsd,
        storagePrefix,
        version,
        createdBy,
        createdAt,
        updatedAt,
        Optional.of(subject));
  }

  public boolean active() {
    return status == TenantStatus.ACTIVE;
  }

  /** The per-tenant prefix for files: every file kept for the tenant lives under it. */
  public static String storagePrefixOf(TenantId id) {
    return "tenants/" + id.value() + "/";
  }
}
