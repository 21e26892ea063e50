package io.maestro.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.config.MaestroConfig;
import io.maestro.engine.Engine;
import io.maestro.evidence.Evidence;
import io.maestro.lifecycle.PurgeTarget;
import io.maestro.lifecycle.Purges;
import io.maestro.lifecycle.retention.DataClass;
import io.maestro.lifecycle.retention.Retention;
import io.maestro.lifecycle.retention.RetentionBounds;
import io.maestro.lifecycle.retention.RetentionDefaults;
import io.maestro.lifecycle.retention.RetentionTarget;
import io.maestro.metering.Metering;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.DecisionRecords;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Provenance;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantDirectory;
import io.maestro.tenancy.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Builds the lifecycle module's services from the composition root's parts: each module that owns
 * tenant data is adapted to a {@link PurgeTarget} that calls its own purge API (the engine's runs,
 * steps, logs and workflows; metering's raw events); receipt payloads are erased by provenance.
 */
public final class LifecycleWiring {
  private LifecycleWiring() {}

  public static Purges purges(
      Database db, Provenance provenance, Engine engine, Metering metering, Clock clock) {
    PurgeTarget runs =
        (tx, tenant, scope, before) ->
            switch (scope) {
              case RUNS -> engine.purge().finishedBefore(tx, tenant, before.orElseThrow());
              case TENANT -> engine.purge().everything(tx, tenant);
              default -> List.of();
            };
    PurgeTarget events =
        (tx, tenant, scope, before) ->
            switch (scope) {
              case METERING -> metering.purgeEvents(tx, tenant, before);
              case TENANT -> metering.purgeEvents(tx, tenant, Optional.empty());
              default -> List.of();
            };
    return new Purges(
        db,
        provenance.receipts(),
        provenance.log(),
        List.of(runs, events),
        () -> provenance.keys().signer(),
        clock,
        new Ids(clock, RandomGenerator.of("L64X128MixRandom")));
  }

  /**
   * Retention over the owners' batch APIs: the engine's finished runs and their logs, metering's
   * raw events, provenance's receipt payloads and the policy decision log's inputs.
   */
  public static Retention retention(
      Database db,
      Provenance provenance,
      Engine engine,
      Metering metering,
      Evidence evidence,
      MaestroConfig config,
      DecisionPoint pdp,
      TenantDirectory directory,
      Clock clock) {
    Map<DataClass, RetentionTarget> targets = new EnumMap<>(DataClass.class);
    targets.put(
        DataClass.RUNS,
        (tx, tenant, before, limit) -> engine.purge().finishedBefore(tx, tenant, before, limit));
    targets.put(
        DataClass.RUN_LOGS,
        (tx, tenant, before, limit) ->
            engine.purge().logsOfRunsFinishedBefore(tx, tenant, before, limit));
    targets.put(
        DataClass.METERING_EVENTS,
        (tx, tenant, before, limit) -> metering.purgeEvents(tx, tenant, before, limit));
    targets.put(
        DataClass.RECEIPT_PAYLOADS,
        (tx, tenant, before, limit) ->
            provenance
                .receipts()
                .erasePayloads(tx, LogId.tenant(tenant), Optional.of(before), limit));
    targets.put(
        DataClass.DECISION_INPUTS,
        (tx, tenant, before, limit) ->
            DecisionRecords.eraseInputs(tx, tenant.value(), before, limit));
    targets.put(DataClass.EVIDENCE_PACKS, evidence::expirePacks);
    MaestroConfig.Retention r = config.retention();
    RetentionBounds bounds =
        RetentionBounds.of(config.policy().edition(), r.minDays(), r.maxDays());
    return new Retention(
        db,
        provenance.receipts(),
        targets,
        new Retention.Settings(
            bounds,
            tenant -> profileDefaults(pdp, directory, tenant, bounds),
            r.batchSize(),
            r.maxBatches()),
        clock,
        new Ids(clock, RandomGenerator.of("L64X128MixRandom")));
  }

  /**
   * The retention defaults of the tenant's policy profile (its assigned one, else the server's
   * default), read from the active bundle's profile manifest ({@code settings.retention}), so a new
   * bundle revision changes them without a restart.
   */
  static RetentionDefaults profileDefaults(
      DecisionPoint pdp, TenantDirectory directory, TenantId tenant, RetentionBounds bounds) {
    String profile =
        directory
            .tenant(tenant)
            .map(Tenant::profile)
            .filter(p -> p != null && !p.isBlank())
            .orElse(pdp.settings().defaultProfile());
    JsonNode retention =
        pdp.active()
            .bundle()
            .data()
            .path("maestro")
            .path("profiles")
            .path(profile)
            .path("settings")
            .path("retention");
    return RetentionDefaults.fromProfile(profile, retention, bounds);
  }

  /** The {@code /api/purges} routes with the background runner of due purges. */
  public static PurgeService purgeService(Purges purges, Retention retention, Clock clock) {
    return new PurgeService(purges, retention::held, clock, Duration.ofSeconds(1));
  }

  /** The {@code /api/retention} routes with the periodic retention job. */
  public static RetentionService retentionService(
      Retention retention, Tenants tenants, MaestroConfig config, Clock clock) {
    return new RetentionService(
        retention, () -> allTenants(tenants), config.retention().interval(), clock);
  }

  /** Every tenant's id, page by page (the job applies each one's profile defaults). */
  private static List<String> allTenants(Tenants tenants) {
    List<String> out = new java.util.ArrayList<>();
    String cursor = "";
    while (true) {
      var page = tenants.list(TenantScope.platform(), 500, cursor);
      page.forEach(t -> out.add(t.id().value()));
      if (page.size() < 500) {
        return out;
      }
      cursor = page.get(page.size() - 1).id().value();
    }
  }
}
