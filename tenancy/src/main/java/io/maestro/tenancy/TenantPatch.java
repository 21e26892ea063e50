package io.maestro.tenancy;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * A change to a tenant ({@code PATCH /api/tenants/{id}}): any of name, status, quotas and budget.
 * Absent members stay as they are. The profile changes only through profile assignment, which is
 * decided and receipted on its own.
 */
public record TenantPatch(
    Optional<String> name,
    Optional<TenantStatus> status,
    Optional<Integer> maxConcurrentRuns,
    Optional<Integer> maxStepsPerMinute,
    Optional<Integer> maxReceiptBacklog,
    Optional<BigDecimal> dailyBudgetUsd,
    Optional<Long> maxStorageBytes,
    Optional<Quotas.SandboxQuota> sandbox) {

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

  public Tenant applyTo(Tenant t) {
    Quotas q = t.quotas();
    return new Tenant(
        t.id(),
        name.orElse(t.name()),
        t.edition(),
        t.profile(),
        t.homeRegion(),
        t.regions(),
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
        t.updatedAt());
  }
}
