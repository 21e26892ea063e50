package io.maestro.server.evidence;

import io.maestro.core.TenantId;
import io.maestro.engine.Engine;
import io.maestro.engine.RunView;
import io.maestro.evidence.RunEvidence;
import io.maestro.server.engine.EngineJson;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.Tenants;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The evidence module's view of runs, through the engine's run queries, registry and logs and the
 * tenancy record's regions. A run's artifacts belong to its workflow's region, or to the tenant's
 * home region when the workflow names none.
 */
final class EngineRunEvidence implements RunEvidence {
  /** The region of a tenant without a tenancy record (the provisioning default). */
  static final String DEFAULT_REGION = "US";

  private final Engine engine;
  private final Tenants tenants;

  EngineRunEvidence(Engine engine, Tenants tenants) {
    this.engine = engine;
    this.tenants = tenants;
  }

  @Override
  public Optional<RunFacts> run(TenantId tenant, String runId) {
    return engine.runs().get(tenant, runId).map(r -> facts(tenant, r));
  }

  private RunFacts facts(TenantId tenant, RunView r) {
    String source = engine.registry().source(tenant, r.workflow(), r.version()).orElse("");
    String region = region(tenant, r.workflow(), r.version(), r.digest());
    return new RunFacts(
        r.runId(),
        r.workflow(),
        r.version(),
        region,
        r.status().terminal(),
        EngineJson.run(r, true),
        source,
        r.digest(),
        r.admission());
  }

  /** The region of a run of this workflow version: the manifest's, else the tenant's home. */
  String region(TenantId tenant, String workflow, String version, String digest) {
    return engine
        .registry()
        .manifest(tenant, workflow, version, digest)
        .region()
        .orElseGet(() -> home(tenant));
  }

  @Override
  public List<LogEntry> logs(TenantId tenant, String runId, long afterSeq, int limit) {
    List<LogEntry> out = new ArrayList<>();
    for (var l : engine.logs().read(tenant, runId, afterSeq, limit)) {
      out.add(new LogEntry(l.seq(), l.stepId(), EngineJson.log(l)));
    }
    return out;
  }

  @Override
  public List<String> tenantRegions(TenantId tenant) {
    return tenant(tenant).map(Tenant::regions).orElse(List.of(DEFAULT_REGION));
  }

  private String home(TenantId tenant) {
    return tenant(tenant).map(Tenant::homeRegion).orElse(DEFAULT_REGION);
  }

  private Optional<Tenant> tenant(TenantId tenant) {
    return tenants.find(TenantScope.of(tenant), tenant);
  }
}
