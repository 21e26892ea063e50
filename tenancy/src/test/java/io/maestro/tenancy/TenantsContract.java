package io.maestro.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.core.TenantId;
import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import io.maestro.tenancy.testing.Fixtures;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Provisioning, changes, members and profiles, with their receipts, on every backend. */
abstract class TenantsContract {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final ObjectMapper JSON = new ObjectMapper();

  abstract Backend backend();

  TestDatabase tdb;
  Database db;
  Tenants tenants;
  final Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void open() {
    tdb = backend().open();
    db = tdb.database();
    tenants = Fixtures.tenants(db, clock, ScopeGuard.ENFORCING);
  }

  @AfterEach
  void close() {
    tdb.close();
  }

  List<Receipt> receipts(LogId log) {
    return db.inTransaction(
        TenantScope.platform(),
        tx -> new ReceiptLog("test").list(tx, log, ReceiptLog.Query.all(100)).receipts());
  }

  static JsonNode payload(Receipt r) throws Exception {
    return JSON.readTree(r.payload().orElseThrow());
  }

  static void assertCode(Runnable call, ErrorCode code) {
    assertThatThrownBy(call::run)
        .isInstanceOf(MaestroException.class)
        .satisfies(e -> assertThat(((MaestroException) e).code()).isEqualTo(code));
  }

  @Test
  void provision_createsAUsableTenantWithItsLogGenesisAndReceipts() throws Exception {
    Tenant t = tenants.provision(Fixtures.admin(), NewTenant.of(ACME), Fixtures.allowed());
    assertThat(t.quotas()).isEqualTo(Quotas.BASELINE);
    assertThat(t.profile()).isEqualTo("internal-default");
    assertThat(t.storagePrefix()).isEqualTo("tenants/acme/");
    assertThat(t.status()).isEqualTo(TenantStatus.ACTIVE);
    assertThat(tenants.get(TenantScope.of(ACME), ACME)).isEqualTo(t);

    List<Receipt> own = receipts(LogId.tenant(ACME));
    assertThat(own).hasSize(1);
    assertThat(own.get(0).seq()).as("the tenant's log starts with its provisioning").isEqualTo(1);
    assertThat(own.get(0).type()).isEqualTo(ReceiptTypes.TENANT_PROVISIONED);
    assertThat(own.get(0).decision().orElseThrow().id()).isEqualTo("dec_test");
    assertThat(receipts(LogId.platform()))
        .extracting(Receipt::type)
        .containsExactly(ReceiptTypes.TENANT_PROVISIONED);
    assertThat(
            payload(own.get(0)).path("settings").path("quotas").path("max_concurrent_runs").asInt())
        .isEqualTo(25);
  }

  @Test
  void provision_twice_isTenantExists_andRecordsNothingMore() {
    tenants.provision(Fixtures.admin(), NewTenant.of(ACME), Fixtures.allowed());
    assertCode(
        () -> tenants.provision(Fixtures.admin(), NewTenant.of(ACME), Fixtures.allowed()),
        TenancyErrors.TENANT_EXISTS);
    assertThat(receipts(LogId.tenant(ACME))).hasSize(1);
  }

  @Test
  void provision_rejectsUnknownProfileAndBadRegions() {
    NewTenant badProfile =
        new NewTenant(
            ACME,
            Optional.empty(),
            Optional.empty(),
            Optional.of("nope"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    assertCode(
        () -> tenants.provision(Fixtures.admin(), badProfile, Fixtures.allowed()),
        TenancyErrors.UNKNOWN_PROFILE);
    NewTenant badRegion =
        new NewTenant(
            ACME,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("EU"),
            Optional.of(List.of("US")),
            Optional.empty(),
            Optional.empty());
    assertCode(
        () -> tenants.provision(Fixtures.admin(), badRegion, Fixtures.allowed()),
        io.maestro.core.problem.CoreErrors.VALIDATION_FAILED);
    assertThat(tenants.find(TenantScope.platform(), ACME)).isEmpty();
  }

  @Test
  void update_changesQuotasAndStatus_withAJsonDiffReceipt() throws Exception {
    tenants.provision(Fixtures.admin(), NewTenant.of(ACME), Fixtures.allowed());
    TenantPatch patch =
        new TenantPatch(
            Optional.empty(),
            Optional.of(TenantStatus.SUSPENDED),
            Optional.of(5),
            Optional.empty(),
            Optional.empty(),
            Optional.of(new BigDecimal("250.00")));
    Tenant after =
        tenants.update(
            Fixtures.admin(),
            TenantScope.of(ACME),
            ACME,
            patch,
            Optional.of(1L),
            Fixtures.allowed());
    assertThat(after.version()).isEqualTo(2);
    assertThat(after.quotas().maxConcurrentRuns()).isEqualTo(5);
    assertThat(after.status()).isEqualTo(TenantStatus.SUSPENDED);

    Receipt r = receipts(LogId.tenant(ACME)).get(1);
    assertThat(r.type()).isEqualTo(ReceiptTypes.CONFIG_CHANGED);
    JsonNode changes = payload(r).path("changes");
    assertThat(changes)
        .contains(
            JSON.readTree(
                "{\"op\":\"replace\",\"path\":\"/status\",\"from\":\"active\",\"to\":\"suspended\"}"),
            JSON.readTree(
                "{\"op\":\"replace\",\"path\":\"/quotas/max_concurrent_runs\",\"from\":25,\"to\":5}"));
    assertThat(changes).hasSize(3);
  }

  @Test
  void update_staleVersion_isAConflict_andNoopRecordsNothing() {
    tenants.provision(Fixtures.admin(), NewTenant.of(ACME), Fixtures.allowed());
    TenantPatch same =
        new TenantPatch(
            Optional.of("acme"),
            Optional.empty(),
            Optional.of(25),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    assertCode(
        () ->
            tenants.update(
                Fixtures.admin(),
                TenantScope.of(ACME),
                ACME,
                same,
                Optional.of(7L),
                Fixtures.allowed()),
        TenancyErrors.TENANT_CONFLICT);
    Tenant t =
        tenants.update(
            Fixtures.admin(),
            TenantScope.of(ACME),
            ACME,
            same,
            Optional.empty(),
            Fixtures.allowed());
    assertThat(t.version()).isEqualTo(1);
    assertThat(receipts(LogId.tenant(ACME))).hasSize(1);
  }

  @Test
  void members_putChangeRemove_eachWithAReceipt() throws Exception {
    tenants.provision(Fixtures.admin(), NewTenant.of(ACME), Fixtures.allowed());
    TenantScope scope = TenantScope.of(ACME);
    tenants.putMember(
        Fixtures.tenantAdmin("acme"), scope, ACME, "bob@acme", "operator", Fixtures.allowed());
    tenants.putMember(
        Fixtures.tenantAdmin("acme"), scope, ACME, "bob@acme", "operator", Fixtures.allowed());
    tenants.putMember(
        Fixtures.tenantAdmin("acme"), scope, ACME, "bob@acme", "read_only", Fixtures.allowed());
    assertThat(tenants.members(scope, ACME)).extracting(Member::role).containsExactly("read_only");
    tenants.removeMember(Fixtures.tenantAdmin("acme"), scope, ACME, "bob@acme", Fixtures.allowed());
    assertThat(tenants.members(scope, ACME)).isEmpty();

    List<Receipt> log = receipts(LogId.tenant(ACME));
    assertThat(log)
        .extracting(Receipt::type)
        .containsExactly(
            ReceiptTypes.TENANT_PROVISIONED,
            ReceiptTypes.MEMBER_CHANGED,
            ReceiptTypes.MEMBER_CHANGED,
            ReceiptTypes.MEMBER_CHANGED);
    assertThat(payload(log.get(2)).path("changes"))
        .isEqualTo(
            JSON.readTree(
                "[{\"op\":\"replace\",\"path\":\"/role\",\"from\":\"operator\",\"to\":\"read_only\"}]"));
    assertThat(payload(log.get(3)).path("changes"))
        .isEqualTo(
            JSON.readTree("[{\"op\":\"remove\",\"path\":\"\",\"from\":{\"role\":\"read_only\"}}]"));
    assertCode(
        () ->
            tenants.removeMember(
                Fixtures.tenantAdmin("acme"), scope, ACME, "bob@acme", Fixtures.allowed()),
        TenancyErrors.MEMBER_NOT_FOUND);
    assertCode(
        () ->
            tenants.putMember(
                Fixtures.tenantAdmin("acme"),
                scope,
                ACME,
                "eve",
                "conductor_admin",
                Fixtures.allowed()),
        TenancyErrors.UNKNOWN_ROLE);
  }

  @Test
  void assignProfile_isUsedAtOnce_andReceiptedWithTheDecision() throws Exception {
    tenants.provision(Fixtures.admin(), NewTenant.of(ACME), Fixtures.allowed());
    tenants.assignProfile(
        Fixtures.admin(), TenantScope.of(ACME), ACME, "regulated", Fixtures.allowed());
    assertThat(tenants.get(TenantScope.of(ACME), ACME).profile()).isEqualTo("regulated");
    Receipt r = receipts(LogId.tenant(ACME)).get(1);
    assertThat(r.type()).isEqualTo(ReceiptTypes.PROFILE_ASSIGNED);
    assertThat(r.decision().orElseThrow().bundleRevision()).contains("rev-1");
    assertCode(
        () ->
            tenants.assignProfile(
                Fixtures.admin(), TenantScope.of(ACME), ACME, "nope", Fixtures.allowed()),
        TenancyErrors.UNKNOWN_PROFILE);
  }

  @Test
  void tenantScope_neverReachesAnotherTenant() {
    tenants.provision(Fixtures.admin(), NewTenant.of(ACME), Fixtures.allowed());
    tenants.provision(Fixtures.admin(), NewTenant.of(GLOBEX), Fixtures.allowed());
    TenantScope globex = TenantScope.of(GLOBEX);
    assertThat(tenants.list(globex, 100, "")).extracting(Tenant::id).containsExactly(GLOBEX);
    assertThat(tenants.list(TenantScope.platform(), 100, "")).hasSize(2);
    assertCode(() -> tenants.get(globex, ACME), TenancyErrors.TENANT_NOT_FOUND);
    assertCode(
        () ->
            tenants.putMember(
                Fixtures.tenantAdmin("globex"),
                globex,
                ACME,
                "spy",
                "operator",
                Fixtures.allowed()),
        TenancyErrors.TENANT_NOT_FOUND);
    assertThat(tenants.members(TenantScope.of(ACME), ACME)).isEmpty();
  }
}
