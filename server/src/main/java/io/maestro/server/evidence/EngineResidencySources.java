package io.maestro.server.evidence;

import io.maestro.core.TenantId;
import io.maestro.engine.Engine;
import io.maestro.engine.RunView;
import io.maestro.engine.run.RunQueries;
import io.maestro.evidence.residency.ResidencySources;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.Tenants;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The residency auditor's view of tenants and runs, through the tenancy and engine APIs. A run is
 * tagged as its disclosure pack tags it ({@link EngineRunEvidence}): the workflow's region, else
 * the tenant's home region.
 */
final class EngineResidencySources implements ResidencySources {
  private static final int TENANT_PAGE = 500;

  private final Engine engine;
  private final Tenants tenants;
  private final EngineRunEvidence runs;

  EngineResidencySources(Engine engine, Tenants tenants) {
    this.engine = engine;
    this.tenants = tenants;
    this.runs = new EngineRunEvidence(engine, tenants);
  }

  @Override
  public List<TenantId> tenants() {
    List<TenantId> out = new ArrayList<>();
    String after = "";
    while (true) {
      List<Tenant> page = tenants.list(TenantScope.platform(), TENANT_PAGE, after);
      page.forEach(t -> out.add(t.id()));
      if (page.size() < TENANT_PAGE) {
        return out;
      }
      after = page.getLast().id().value();
    }
  }

  @Override
  public List<String> allowedRegions(TenantId tenant) {
    return runs.tenantRegions(tenant);
  }

  @Override
  public RunPage runs(TenantId tenant, Optional<String> cursor, int limit) {
    RunQueries.Page page =
        engine.runs().list(tenant, Optional.empty(), Optional.empty(), limit, cursor);
    // One manifest lookup per workflow version, not per run.
    Map<String, String> regions = new HashMap<>();
    List<RunTag> tags = new ArrayList<>();
    for (RunView r : page.runs()) {
      String region =
          regions.computeIfAbsent(
              r.workflow() + "@" + r.version() + "@" + r.digest(),
              k -> runs.region(tenant, r.workflow(), r.version(), r.digest()));
      tags.add(new RunTag(r.runId(), r.workflow(), r.version(), region));
    }
    return new RunPage(tags, page.next());
  }

  @Override
  public int steps(TenantId tenant, String runId) {
    return engine.runs().get(tenant, runId).map(r -> r.steps().size()).orElse(0);
  }
}
