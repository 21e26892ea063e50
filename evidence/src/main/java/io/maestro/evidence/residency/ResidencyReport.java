package io.maestro.evidence.residency;

import io.maestro.core.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * One tenant's audit.
 *
 * @param allowed the tenant's allowed regions at the time of the audit
 * @param runs runs checked (with their steps and logs)
 * @param exports stored disclosure packs whose tags were checked
 * @param receipts receipts carrying a region tag that were checked
 * @param violations the open findings, those first found by this audit marked {@code fresh}
 * @param resolved findings of earlier audits that this one no longer found
 */
public record ResidencyReport(
    TenantId tenant,
    Instant auditedAt,
    List<String> allowed,
    int runs,
    int exports,
    int receipts,
    List<Finding> violations,
    List<Finding> resolved) {
  public ResidencyReport {
    allowed = List.copyOf(allowed);
    violations = List.copyOf(violations);
    resolved = List.copyOf(resolved);
  }

  /** Violations this audit found for the first time. */
  public long fresh() {
    return violations.stream().filter(Finding::fresh).count();
  }
}
