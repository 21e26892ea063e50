package io.maestro.tenancy.brand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import io.maestro.tenancy.NewTenant;
import io.maestro.tenancy.ScopeGuard;
import io.maestro.tenancy.Tenants;
import io.maestro.tenancy.testing.Fixtures;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Saving, assigning and reading brand packs with their receipts, on every backend. */
abstract class BrandPacksContract {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");

  abstract Backend backend();

  TestDatabase tdb;
  Database db;
  BrandPacks packs;
  final Clock clock = Clock.fixed(Instant.parse("2026-12-04T03:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void open() {
    tdb = backend().open();
    db = tdb.database();
    Tenants tenants = Fixtures.tenants(db, clock, ScopeGuard.ENFORCING);
    tenants.provision(Fixtures.admin(), NewTenant.of(ACME), Fixtures.allowed());
    tenants.provision(Fixtures.admin(), NewTenant.of(GLOBEX), Fixtures.allowed());
    packs =
        new BrandPacks(
            db,
            new Receipts(
                new Ids(clock, new SplittableRandom(11)), clock, Receipts.AppendListener.NONE),
            clock);
  }

  @AfterEach
  void close() {
    tdb.close();
  }

  static BrandPack pack(String banner) throws Exception {
    return BrandPack.parse(
        "northwind",
        new ObjectMapper()
            .readTree(
                "{\"name\":\"Northwind\",\"product_name\":\"Northwind Flow\",\"colors\":{\"banner_bg\":\""
                    + banner
                    + "\"}}"));
  }

  List<Receipt> receipts(LogId log) {
    return db.inTransaction(
        TenantScope.platform(),
        tx -> new ReceiptLog("test").list(tx, log, ReceiptLog.Query.all(100)).receipts());
  }

  @Test
  void saveAssignAndRead_withReceipts_andEachTenantSeesOnlyItsOwnAssignment() throws Exception {
    var saved = packs.put(Fixtures.admin(), Fixtures.allowed(), pack("#0f4c3a"));
    assertThat(saved.version()).isEqualTo(1);
    assertThat(packs.put(Fixtures.admin(), Fixtures.allowed(), pack("#0f4c3a")).receiptId())
        .as("unchanged")
        .isEmpty();
    assertThat(packs.put(Fixtures.admin(), Fixtures.allowed(), pack("#0b3d2e")).version())
        .isEqualTo(2);
    assertThat(receipts(LogId.platform()))
        .filteredOn(r -> r.type().equals(ReceiptTypes.BRAND_PACK_SAVED))
        .hasSize(2);

    var receipt =
        packs.assign(
            Fixtures.admin(), Fixtures.allowed(), TenantScope.platform(), ACME, "northwind");
    assertThat(receipt).isPresent();
    assertThat(receipts(LogId.tenant(ACME)))
        .filteredOn(r -> r.type().equals(ReceiptTypes.BRAND_ASSIGNED))
        .singleElement()
        .satisfies(r -> assertThat(r.payload().orElseThrow()).contains("\"to\":\"northwind\""));

    assertThat(packs.ofTenant(TenantScope.of(ACME), ACME))
        .hasValueSatisfying(p -> assertThat(p.color("banner_bg")).isEqualTo("#0b3d2e"));
    assertThat(packs.ofTenant(TenantScope.of(GLOBEX), GLOBEX)).isEmpty();
    assertThat(packs.ofTenant(TenantScope.of(GLOBEX), ACME))
        .as("another tenant's assignment is not visible in its scope")
        .isEmpty();
  }

  @Test
  void assigningAMissingPackOrToAMissingTenant_isRefused() throws Exception {
    packs.put(Fixtures.admin(), Fixtures.allowed(), pack("#0f4c3a"));
    assertThatThrownBy(
            () ->
                packs.assign(
                    Fixtures.admin(), Fixtures.allowed(), TenantScope.platform(), ACME, "nope"))
        .isInstanceOfSatisfying(
            MaestroException.class,
            e -> assertThat(e.code().code()).isEqualTo("brand_pack_not_found"));
    assertThatThrownBy(
            () ->
                packs.assign(
                    Fixtures.admin(),
                    Fixtures.allowed(),
                    TenantScope.platform(),
                    TenantId.of("initech"),
                    "northwind"))
        .isInstanceOfSatisfying(
            MaestroException.class, e -> assertThat(e.code().code()).isEqualTo("tenant_not_found"));
  }
}
