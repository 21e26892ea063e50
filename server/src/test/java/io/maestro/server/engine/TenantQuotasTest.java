package io.maestro.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.engine.sandbox.SandboxCeilings;
import io.maestro.provenance.Receipts;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.TestDatabase;
import io.maestro.tenancy.NewTenant;
import io.maestro.tenancy.Quotas;
import io.maestro.tenancy.ScopeGuard;
import io.maestro.tenancy.TenantPatch;
import io.maestro.tenancy.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The quotas the workers apply, read from the tenancy record: two {@link Tenants} on one database
 * stand for this server and another one.
 */
class TenantQuotasTest {
  static final TenantId ACME = TenantId.of("acme");
  static final Actor ADMIN =
      new Actor("root@platform", Optional.empty(), List.of("conductor_admin"), Map.of(), "dev");
  static final Decision ALLOWED =
      new Decision(
          "dec_test",
          true,
          List.of(),
          List.of(),
          "rev-1",
          "sha256:" + "0".repeat(64),
          "maestro/authz/decision",
          Instant.EPOCH);

  final StoppedClock clock = new StoppedClock();
  TestDatabase tdb;
  Tenants here;
  Tenants elsewhere;
  TenantQuotas quotas;

  @BeforeEach
  void open() {
    tdb = TestDatabase.h2();
    here = tenants(1);
    elsewhere = tenants(2);
    quotas = new TenantQuotas(here, clock, Duration.ofSeconds(1));
    here.provision(ADMIN, NewTenant.of(ACME), ALLOWED);
  }

  @AfterEach
  void close() {
    tdb.close();
  }

  Tenants tenants(long seed) {
    Receipts receipts =
        new Receipts(
            new Ids(clock, new SplittableRandom(seed)), clock, Receipts.AppendListener.NONE);
    return new Tenants(
        tdb.database(),
        receipts,
        clock,
        ScopeGuard.ENFORCING,
        p -> p.equals("internal-default"),
        "internal-default");
  }

  void change(Tenants via, Optional<Long> storage, Optional<Quotas.SandboxQuota> sandbox) {
    long version = via.get(TenantScope.of(ACME), ACME).version();
    via.update(
        ADMIN,
        TenantScope.of(ACME),
        ACME,
        new TenantPatch(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            storage,
            sandbox),
        Optional.of(version),
        ALLOWED);
  }

  @Test
  void storageQuota_changedOnAnotherServer_appliesOnceTheReadIsAsOldAsMaxAge() {
    assertThat(quotas.maxBytes(ACME)).isEqualTo(Quotas.BASELINE_STORAGE_BYTES);

    change(elsewhere, Optional.of(4096L), Optional.empty());
    assertThat(quotas.maxBytes(ACME)).isEqualTo(Quotas.BASELINE_STORAGE_BYTES);
    clock.advance(Duration.ofMillis(999));
    assertThat(quotas.maxBytes(ACME)).isEqualTo(Quotas.BASELINE_STORAGE_BYTES);
    clock.advance(Duration.ofMillis(1));
    assertThat(quotas.maxBytes(ACME)).isEqualTo(4096L);
  }

  @Test
  void storageQuota_changedThroughThisServer_appliesAtOnce() {
    assertThat(quotas.maxBytes(ACME)).isEqualTo(Quotas.BASELINE_STORAGE_BYTES);

    change(here, Optional.of(4096L), Optional.empty());
    assertThat(quotas.maxBytes(ACME)).isEqualTo(4096L);
  }

  @Test
  void unknownTenant_getsTheBaselineStorageQuota_andNoCeilingsOfItsOwn() {
    TenantId ghost = TenantId.of("ghost");
    assertThat(quotas.maxBytes(ghost)).isEqualTo(Quotas.BASELINE_STORAGE_BYTES);
    assertThat(quotas.of(ghost)).isEmpty();
  }

  @Test
  void sandboxCeilings_areReadForEveryStep_andAZeroCeilingIsNone() {
    assertThat(quotas.of(ACME)).isEmpty();

    change(elsewhere, Optional.empty(), Optional.of(new Quotas.SandboxQuota(64L << 20, 0, 16)));
    assertThat(quotas.of(ACME)).contains(new SandboxCeilings(64L << 20, Long.MAX_VALUE, 16));
  }

  /** A clock that moves only when told. */
  static final class StoppedClock extends Clock {
    private final AtomicReference<Instant> now =
        new AtomicReference<>(Instant.parse("2026-12-05T12:00:00Z"));

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("UTC only");
    }
  }
}
