package io.maestro.tenancy.testing;

import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.provenance.Receipts;
import io.maestro.store.Database;
import io.maestro.tenancy.ScopeGuard;
import io.maestro.tenancy.Tenants;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/** Actors, decisions and a wired {@link Tenants} for tests. */
public final class Fixtures {
  public static final Set<String> PROFILES =
      Set.of("internal-default", "regulated", "partner-demo", "hosted-saas");

  private Fixtures() {}

  public static Actor admin() {
    return new Actor(
        "root@platform", Optional.empty(), List.of("conductor_admin"), Map.of(), "dev");
  }

  public static Actor tenantAdmin(String tenant) {
    return new Actor(
        "admin@" + tenant,
        Optional.of(TenantId.of(tenant)),
        List.of("tenant_admin"),
        Map.of(),
        "dev");
  }

  public static Decision allowed() {
    return new Decision(
        "dec_test",
        true,
        List.of(),
        List.of(),
        "rev-1",
        "sha256:" + "0".repeat(64),
        "maestro/authz/decision",
        java.time.Instant.EPOCH);
  }

  public static Tenants tenants(Database db, Clock clock, ScopeGuard guard) {
    Receipts receipts =
        new Receipts(new Ids(clock, new SplittableRandom(7)), clock, Receipts.AppendListener.NONE);
    return new Tenants(db, receipts, clock, guard, PROFILES::contains, "internal-default");
  }
}
