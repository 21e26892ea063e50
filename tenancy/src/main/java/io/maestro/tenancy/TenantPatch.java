package io.maestro.tenancy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * A change to a tenant ({@code PATCH /api/tenants/{id}}): any of name, status, quotas, budget and
 * the regions it may run in (its home region must stay among them). Absent members stay as they
 * are. The profile changes only through profile assignment, which is decided and receipted on its
 * own.
 */
public record TenantPatch(
    Optional<String> name,
    Optional<TenantStatus> status,
    Optional<Integer> maxConcurrentRuns,
    Optional<Integer> maxStepsPerMinute,
    Optional<Integer> maxReceiptBacklog,
    Optional<BigDecimal> dailyBudgetUsd,
    Optional<Long> maxStorageBytes,
    Optional<Quotas.SandboxQuota> sandbox,
    Optional<List<String>> regions) {

  public TenantPatch {
    regions = regions.map(List::copyOf);
  }

  /** A patch that leaves the regions as they are. */
  public TenantPatch(
      Optional<String> name,
      Optional<TenantStatus> status,
      Optional<Integer> maxConcurrentRuns,
      Optional<Integer> maxStepsPerMinute,
      Optional<Integer> maxReceiptBacklog,
      Optional<BigDecimal> dailyBudgetUsd,
      Optional<Long> maxStorageBytes,
      Optional<Quotas.SandboxQuota> sandbox) {
    this(
        name,
        status,
        maxConcurrentRuns,
        maxStepsPerMinute,
        maxReceiptBacklog,
        dailyBudgetUsd,
        maxStorageBytes,
        sandbox,
        Optional.empty());
  }

  /** A patch that leaves the sandbox ceilings as they are. */
  public TenantPatch(
      Optional<String> name,
      Optional<TenantStatus> status,
      Optional<Integer> maxConcurrentRuns,
      Optional<Integer> maxStepsPerMinute,
      Optional<Integer> maxReceiptBacklog,
      Optional<BigDecimal> dailyBudgetUsd,
      Optional<Long> maxStorageBytes) {
    this(
        name,
        status,
        maxConcurrentRuns,
        maxStepsPerMinute,
        maxReceiptBacklog,
        dailyBudgetUsd,
        maxStorageBytes,
        Optional.empty());
  }

  /** A patch that leaves the storage quota as it is. */
  public TenantPatch(
      Optional<String> name,
      Optional<TenantStatus> status,
      Optional<Integer> maxConcurrentRuns,
      Optional<Integer> maxStepsPerMinute,
      Optional<Integer> maxReceiptBacklog,
      Optional<BigDecimal> dailyBudgetUsd) {
    this(
        name,
        status,
        maxConcurrentRuns,
        maxStepsPerMinute,
        maxReceiptBacklog,
        dailyBudgetUsd,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * The tenant with this patch applied.
   *
   * @throws IllegalArgumentException a region that is not an upper-case code, no region at all, or
   *     regions without the tenant's home region
   */
  public Tenant applyTo(Tenant t) {
    Quotas q = t.quotas();
    List<String> allowed = regions.orElse(t.regions());
    if (regions.isPresent()) {
      if (allowed.isEmpty()) {
        throw new IllegalArgumentException("regions must name at least one region");
      }
      for (String r : allowed) {
        if (!Tenants.REGION.matcher(r).matches()) {
          throw new IllegalArgumentException("regions are upper-case codes such as US or EU: " + r);
        }
      }
      if (!allowed.contains(t.homeRegion())) {
        throw new IllegalArgumentException(
            "regions must include the home region " + t.homeRegion());
      }
    }
    return new Tenant(
        t.id(),
        name.orElse(t.name()),
        t.edition(),
        t.profile(),
        t.homeRegion(),
        allowed,
        status.orElse(t.status()),
        new Quotas(
            maxConcurrentRuns.orElse(q.maxConcurrentRuns()),
            maxStepsPerMinute.orElse(q.maxStepsPerMinute()),
            maxReceiptBacklog.orElse(q.maxReceiptBacklog()),
            maxStorageBytes.orElse(q.maxStorageBytes()),
            sandbox.orElse(q.sandbox())),
        dailyBudgetUsd.orElse(t.dailyBudgetUsd()),
        t.storagePrefix(),
        t.version(),
        t.createdBy(),
        t.createdAt(),
        t.updatedAt(),
        t.demoOperator());
  }
}
