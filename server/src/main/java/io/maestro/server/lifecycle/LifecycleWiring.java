package io.maestro.server.lifecycle;

import io.maestro.core.Ids;
import io.maestro.engine.Engine;
import io.maestro.lifecycle.PurgeTarget;
import io.maestro.lifecycle.Purges;
import io.maestro.metering.Metering;
import io.maestro.provenance.Provenance;
import io.maestro.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

  /** The {@code /api/purges} routes with the background runner of due purges. */
  public static PurgeService purgeService(Purges purges, Clock clock) {
    return new PurgeService(purges, clock, Duration.ofSeconds(1));
  }
}
