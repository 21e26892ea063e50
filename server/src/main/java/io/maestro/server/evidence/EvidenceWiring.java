package io.maestro.server.evidence;

import io.maestro.core.Ids;
import io.maestro.core.config.MaestroConfig;
import io.maestro.engine.Engine;
import io.maestro.evidence.Evidence;
import io.maestro.evidence.bundle.ComplianceBundles;
import io.maestro.evidence.storage.PackStore;
import io.maestro.metering.ActorType;
import io.maestro.metering.EventType;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.Metering;
import io.maestro.metering.WorkflowRef;
import io.maestro.provenance.Provenance;
import io.maestro.server.auth.PolicyRuntime;
import io.maestro.server.engine.MeteredReceipts;
import io.maestro.store.Database;
import io.maestro.tenancy.Tenants;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Builds the evidence module for the server: packs under {@code <dataDir>/evidence}, runs read
 * through the engine, and each export metered as one {@code evidence_exported} event in the
 * export's transaction (its idempotency key is the export's receipt id).
 */
public final class EvidenceWiring {
  private EvidenceWiring() {}

  /** The control catalog with statuses from the tenant's receipts. */
  public static ComplianceService compliance(Database db, Provenance provenance, Clock clock) {
    return new ComplianceService(
        io.maestro.evidence.controls.ControlCatalog.standard(),
        new io.maestro.evidence.controls.ControlStatus(db, provenance.log()),
        clock);
  }

  /** The tenant compliance bundle, its access log read from the policy decision log. */
  public static ComplianceBundleService bundles(
      MaestroConfig config, Database db, Provenance provenance, PolicyRuntime policy) {
    return new ComplianceBundleService(
        new ComplianceBundles(
            db,
            provenance,
            new DecisionAccessLog(policy, db),
            new PackStore(config.dataDir().resolve("evidence"), new SecureRandom())));
  }

  /**
   * The Conductor Compliance Pack: its sources read through the policy, tenancy and governance
   * modules, stored in the evidence partition like bundles.
   */
  public static CompliancePackService packs(
      MaestroConfig config,
      Database db,
      Provenance provenance,
      io.maestro.policy.DecisionPoint pdp,
      io.maestro.tenancy.TenantDirectory directory,
      io.maestro.server.governance.SloService slos,
      io.maestro.governance.Incidents incidents,
      Clock clock) {
    Path evidence = config.dataDir().resolve("evidence");
    return new CompliancePackService(
        new io.maestro.evidence.compliance.CompliancePacks(
            db,
            provenance,
            new ServerPackSources(
                pdp,
                directory,
                slos,
                incidents,
                config.evidence().releaseDir(),
                evidence.resolve("reports")),
            new PackStore(evidence, new SecureRandom()),
            clock));
  }

  /** The evidence module as the server runs it: packs under {@code <dataDir>/evidence}. */
  public static Evidence evidence(
      MaestroConfig config,
      Database db,
      Provenance provenance,
      Engine engine,
      Tenants tenants,
      Metering metering,
      Clock clock) {
    return new Evidence(
        db,
        provenance,
        new EngineRunEvidence(engine, tenants),
        new PackStore(config.dataDir().resolve("evidence"), new SecureRandom()),
        new Ids(clock, RandomGenerator.of("L64X128MixRandom")),
        clock,
        (tx, tenant, actor, receipt, pack) ->
            metering.record(
                tx,
                MeteredEvent.of(
                    EventType.EVIDENCE_EXPORTED,
                    receipt.id(),
                    receipt.time(),
                    tenant,
                    MeteredReceipts.envOf(actor),
                    ActorType.of(actor.subject(), actor.via()),
                    WorkflowRef.NONE,
                    "run/" + receipt.subject().id() + "/disclosure",
                    1)));
  }
}
