package io.maestro.tenancy;

import io.maestro.core.TenantId;
import io.maestro.store.TenantScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the request path needs to know about tenants, from memory: the tenant (status, profile,
 * quotas) and the role a subject holds as a member. Entries live for {@code ttl} and are dropped as
 * soon as this process changes the tenant ({@link Tenants#onChange}), so a profile assignment or a
 * suspension applies to the very next request here, and within {@code ttl} on other servers.
 *
 * <p>Each lookup reads under the tenant's own scope. Thread-safe.
 */
public final class TenantDirectory {
  private static final int LIMIT = 50_000;

  private final Tenants tenants;
  private final Clock clock;
  private final Duration ttl;
  private final ConcurrentHashMap<TenantId, Cached<Optional<Tenant>>> byId =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<MemberKey, Cached<Optional<String>>> roles =
      new ConcurrentHashMap<>();

  public TenantDirectory(Tenants tenants, Clock clock, Duration ttl) {
    this.tenants = tenants;
    this.clock = clock;
    this.ttl = ttl;
    tenants.onChange(this::forget);
  }

  /** The tenant, or empty when it does not exist. */
  public Optional<Tenant> tenant(TenantId id) {
    Instant now = clock.instant();
    Cached<Optional<Tenant>> c = byId.get(id);
    if (c == null || now.isAfter(c.expires())) {
      c = new Cached<>(tenants.find(TenantScope.of(id), id), now.plus(ttl));
      bound(byId);
      byId.put(id, c);
    }
    return c.value();
  }

  /** The tenant role {@code subject} holds as a member of {@code tenant}, if any. */
  public Optional<String> memberRole(TenantId tenant, String subject) {
    Instant now = clock.instant();
    MemberKey key = new MemberKey(tenant, subject);
    Cached<Optional<String>> c = roles.get(key);
    if (c == null || now.isAfter(c.expires())) {
      c =
          new Cached<>(
              tenants.member(TenantScope.of(tenant), tenant, subject).map(Member::role),
              now.plus(ttl));
      bound(roles);
      roles.put(key, c);
    }
    return c.value();
  }

  /** Drops everything cached about {@code tenant}. */
  public void forget(TenantId tenant) {
    byId.remove(tenant);
    roles.keySet().removeIf(k -> k.tenant().equals(tenant));
  }

  private static void bound(ConcurrentHashMap<?, ?> map) {
    if (map.size() >= LIMIT) {
      map.clear();
    }
  }

  private record Cached<T>(T value, Instant expires) {}

  private record MemberKey(TenantId tenant, String subject) {}
}
