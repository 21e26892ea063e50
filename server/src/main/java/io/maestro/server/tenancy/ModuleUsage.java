package io.maestro.server.tenancy;

import io.maestro.core.TenantId;
import io.maestro.engine.run.RunQueries;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptLog;
import io.maestro.server.auth.UsageSource;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.Usage;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;

/**
 * A tenant's usage, asked of the modules that own it: the engine reports runs not yet finished and
 * steps started in the last minute, provenance the receipts no signed checkpoint covers yet. Read
 * only for actions that consume capacity. Spend reads as zero here: the policy gate takes it from
 * the tenant's budget ({@link io.maestro.server.auth.BudgetSource}), metering's spend counters.
 */
public final class ModuleUsage implements UsageSource {
  private static final Duration STEP_WINDOW = Duration.ofMinutes(1);

  private final Database db;
  private final RunQueries runs;
  private final ReceiptLog log;
  private final Clock clock;

  public ModuleUsage(Database db, RunQueries runs, ReceiptLog log, Clock clock) {
    this.db = db;
    this.runs = runs;
    this.log = log;
    this.clock = clock;
  }

  @Override
  public Usage usage(TenantId tenant) {
    // One transaction (one commit) for both modules' reads.
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          RunQueries.Activity activity =
              runs.activity(tx, tenant, clock.instant().minus(STEP_WINDOW));
          long backlog = log.unsignedReceipts(tx, LogId.tenant(tenant));
          return new Usage(
              activity.activeRuns(),
              activity.stepsStarted(),
              backlog,
              BigDecimal.ZERO,
              activity.storageBytes());
        });
  }
}
