package io.maestro.evidence.residency;

import io.maestro.core.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the residency auditor needs from the modules that own tenants and runs: which tenants exist,
 * the regions each may use, and the region every run's artifacts (the run, its steps and its logs)
 * are tagged with. The server adapts the tenancy and engine APIs to this port, so the evidence
 * module never reads another module's tables. Implementations are thread-safe and read in their own
 * short transactions.
 */
public interface ResidencySources {

  /** Every tenant to audit, in a stable order. */
  List<TenantId> tenants();

  /** The regions the tenant may use (its residency), home region first. */
  List<String> allowedRegions(TenantId tenant);

  /**
   * A page of the tenant's runs with their region tags.
   *
   * @param cursor the {@link RunPage#next()} of the previous page, empty for the first
   */
  RunPage runs(TenantId tenant, Optional<String> cursor, int limit);

  /**
   * How many step records the run has (each carries the run's region, as do its logs); asked only
   * for runs found in a disallowed region.
   */
  int steps(TenantId tenant, String runId);

  /** A run's region tag: the workflow manifest's {@code region}, else the tenant's home region. */
  record RunTag(String runId, String workflow, String version, String region) {
    public RunTag {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(region, "region");
    }
  }

  /** One page of runs; {@code next} is empty on the last. */
  record RunPage(List<RunTag> runs, Optional<String> next) {
    public RunPage {
      runs = List.copyOf(runs);
    }
  }
}
