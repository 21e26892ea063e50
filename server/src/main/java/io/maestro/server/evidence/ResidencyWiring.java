package io.maestro.server.evidence;

import io.maestro.core.config.MaestroConfig;
import io.maestro.engine.Engine;
import io.maestro.evidence.residency.Finding;
import io.maestro.evidence.residency.ResidencyAuditor;
import io.maestro.evidence.storage.PackStore;
import io.maestro.provenance.Provenance;
import io.maestro.store.Database;
import io.maestro.tenancy.Tenants;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the residency auditor for the server: tenants and runs read through the tenancy and engine
 * APIs, stored packs read from {@code <dataDir>/evidence}, and each new violation counted in {@code
 * mc_residency_violations_total{kind}} (kind: run, export or receipt — bounded, no tenant).
 */
public final class ResidencyWiring {
  private ResidencyWiring() {}

  public static ResidencyService service(
      MaestroConfig config,
      Database db,
      Provenance provenance,
      Engine engine,
      Tenants tenants,
      MeterRegistry registry,
      Clock clock) {
    Map<String, Counter> counters =
        List.of(Finding.RUN, Finding.EXPORT, Finding.RECEIPT).stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    k -> k,
                    k ->
                        Counter.builder("mc.residency.violations")
                            .description(
                                "Residency violations found: artifacts tagged with a region"
                                    + " outside their tenant's allowed regions, each counted once")
                            .tag("kind", k)
                            .register(registry)));
    ResidencyAuditor auditor =
        new ResidencyAuditor(
            db,
            provenance,
            new EngineResidencySources(engine, tenants),
            new PackStore(config.dataDir().resolve("evidence"), new SecureRandom()),
            clock,
            (tenant, f) -> counters.get(f.kind()).increment());
    return new ResidencyService(auditor, config.evidence().residencyInterval());
  }
}
