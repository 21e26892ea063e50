package io.maestro.tenancy;

import io.maestro.core.TenantId;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provisioning request may say; everything but the id has a default.
 *
 * @param edition {@code internal}, {@code white-label} or {@code saas}
 */
public record NewTenant(
    TenantId id,
    Optional<String> name,
    Optional<String> edition,
    Optional<String> profile,
    Optional<String> homeRegion,
    Optional<List<String>> regions,
    Optional<Quotas> quotas,
    Optional<BigDecimal> dailyBudgetUsd) {

  public static final List<String> EDITIONS = List.of("internal", "white-label", "saas");

  public NewTenant {
    Objects.requireNonNull(id, "id");
    regions = regions.map(List::copyOf);
  }

  /** A tenant with every default. */
  public static NewTenant of(TenantId id) {
    return new NewTenant(
        id,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
