package io.maestro.server.engine;

import io.maestro.core.TenantId;
import io.maestro.engine.OutputLimits;
import io.maestro.engine.sandbox.SandboxCeilings;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.Quotas;
import io.maestro.tenancy.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each tenant's quotas as the engine's workers apply them: the storage quota every step's output is
 * checked against, and the sandbox ceilings of a {@code core/exec} step. Read from the tenancy
 * record in a transaction of their own (never the step's).
 *
 * <p>The storage quota is checked for every step, so it is read at most once per {@code maxAge} per
 * tenant; a change made through this server's {@link Tenants} applies from the next read on, a
 * change made on another server within {@code maxAge}. Sandbox ceilings bound what a process may
 * use, so they are read for every {@code core/exec} step. Admission (the policy gate) always reads
 * the record itself. Thread-safe.
 */
public final class TenantQuotas implements OutputLimits.StorageQuota, SandboxCeilings.PerTenant {
  private record Read(long maxBytes, long atMillis) {}

  private final Tenants tenants;
  private final Clock clock;
  private final long maxAgeMillis;
  private final Map<TenantId, Read> reads = new ConcurrentHashMap<>();
  // Counts the tenant changes heard: a read that overlapped one is used once, not kept.
  private final AtomicLong changes = new AtomicLong();

  public TenantQuotas(Tenants tenants, Clock clock, Duration maxAge) {
    this.tenants = tenants;
    this.clock = clock;
    this.maxAgeMillis = maxAge.toMillis();
    tenants.onChange(
        tenant -> {
          changes.incrementAndGet();
          reads.remove(tenant);
        });
  }

  /** The tenant's storage quota in bytes of step output; the baseline for an unknown tenant. */
  @Override
  public long maxBytes(TenantId tenant) {
    long now = clock.millis();
    Read r = reads.get(tenant);
    if (r == null || now - r.atMillis() >= maxAgeMillis || now < r.atMillis()) {
      long seen = changes.get();
      r =
          new Read(
              read(tenant).map(Quotas::maxStorageBytes).orElse(Quotas.BASELINE_STORAGE_BYTES), now);
      if (changes.get() == seen) {
        reads.put(tenant, r);
      }
    }
    return r.maxBytes();
  }

  /** The tenant's own sandbox ceilings; empty when it has none (a ceiling of 0 is none). */
  @Override
  public Optional<SandboxCeilings> of(TenantId tenant) {
    return read(tenant)
        .map(Quotas::sandbox)
        .filter(s -> !s.isNone())
        .map(
            s ->
                new SandboxCeilings(
                    orUnlimited(s.maxMemoryBytes()),
                    orUnlimited(s.maxCpuSeconds()),
                    orUnlimited(s.maxProcesses())));
  }

  private Optional<Quotas> read(TenantId tenant) {
    return tenants.find(TenantScope.of(tenant), tenant).map(t -> t.quotas());
  }

  private static long orUnlimited(long ceiling) {
    return ceiling == 0 ? Long.MAX_VALUE : ceiling;
  }
}
