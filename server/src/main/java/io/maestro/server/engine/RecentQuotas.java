package io.maestro.server.engine;

import io.maestro.core.TenantId;
import io.maestro.tenancy.Quotas;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Each tenant's quotas as the engine's workers read them (storage quota, sandbox ceilings): read
 * from the tenancy record at most once per {@code maxAge} per tenant instead of in a transaction of
 * its own for every step. A quota change reaches running steps within {@code maxAge}; admission
 * (the policy gate) always reads the record itself. Thread-safe.
 */
public final class RecentQuotas implements Function<TenantId, Optional<Quotas>> {
  private record Read(Optional<Quotas> quotas, long atMillis) {}

  private final Function<TenantId, Optional<Quotas>> source;
  private final Clock clock;
  private final long maxAgeMillis;
  private final Map<TenantId, Read> reads = new ConcurrentHashMap<>();

  public RecentQuotas(Function<TenantId, Optional<Quotas>> source, Clock clock, Duration maxAge) {
    this.source = source;
    this.clock = clock;
    this.maxAgeMillis = maxAge.toMillis();
  }

  @Override
  public Optional<Quotas> apply(TenantId tenant) {
    long now = clock.millis();
    Read r = reads.get(tenant);
    if (r == null || now - r.atMillis() >= maxAgeMillis || now < r.atMillis()) {
      r = new Read(source.apply(tenant), now);
      reads.put(tenant, r);
    }
    return r.quotas();
  }
}
