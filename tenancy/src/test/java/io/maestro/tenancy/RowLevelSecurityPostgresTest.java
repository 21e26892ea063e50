package io.maestro.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.store.Database;
import io.maestro.store.StoreException;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import io.maestro.tenancy.testing.Fixtures;
import io.maestro.tenancy.testing.RlsDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Row-level security on PostgreSQL, with the code-level tenant check switched off: the database
 * alone keeps a tenant-scoped transaction inside its tenant, although the pool connects as a
 * superuser, because every transaction switches to {@code maestro_app}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@RequiresPostgres
class RowLevelSecurityPostgresTest {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  final Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  RlsDatabase rls;
  Database db;
  Tenants databaseOnly;

  @BeforeAll
  void open() {
    rls = RlsDatabase.open();
    db = rls.database();
    databaseOnly = Fixtures.tenants(db, clock, ScopeGuard.DATABASE_ONLY);
    databaseOnly.provision(Fixtures.admin(), NewTenant.of(ACME), Fixtures.allowed());
    databaseOnly.provision(Fixtures.admin(), NewTenant.of(GLOBEX), Fixtures.allowed());
    databaseOnly.putMember(
        Fixtures.admin(), TenantScope.of(ACME), ACME, "bob@acme", "operator", Fixtures.allowed());
  }

  @AfterAll
  void close() {
    if (rls != null) {
      rls.close();
    }
  }

  long count(TenantScope scope, String sql) {
    return db.inTransaction(scope, tx -> tx.queryOne(sql, r -> r.getLong(1)).orElseThrow());
  }

  @Test
  void transactions_runAsTheApplicationRole_notTheSuperuser() {
    String user =
        db.inTransaction(
            TenantScope.of(GLOBEX),
            tx -> tx.queryOne("SELECT current_user", r -> r.getString(1)).orElseThrow());
    assertThat(user).isEqualTo(RlsDatabase.ROLE);
    boolean bypass =
        db.inTransaction(
            TenantScope.of(GLOBEX),
            tx ->
                tx.queryOne(
                        "SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user",
                        r -> r.getBoolean(1))
                    .orElseThrow());
    assertThat(bypass).isFalse();
  }

  @Test
  void reads_seeOnlyTheScopesTenant() {
    TenantScope globex = TenantScope.of(GLOBEX);
    assertThat(count(globex, "SELECT count(*) FROM tenants")).isEqualTo(1);
    assertThat(count(globex, "SELECT count(*) FROM tenant_members")).isZero();
    assertThat(count(globex, "SELECT count(*) FROM provenance_receipt WHERE tenant_id = 'acme'"))
        .isZero();
    assertThat(count(TenantScope.platform(), "SELECT count(*) FROM tenants")).isEqualTo(2);
    assertThat(databaseOnly.find(globex, ACME)).isEmpty();
    assertThat(databaseOnly.list(globex, 100, "")).extracting(Tenant::id).containsExactly(GLOBEX);
  }

  @Test
  void writes_cannotTouchOrCreateAnotherTenantsRows() {
    TenantScope globex = TenantScope.of(GLOBEX);
    assertThat(
            (int)
                db.inTransaction(
                    globex,
                    tx -> tx.update("UPDATE tenants SET name = 'pwned' WHERE tenant_id = 'acme'")))
        .isZero();
    assertThat(
            (int)
                db.inTransaction(
                    globex, tx -> tx.update("DELETE FROM tenant_members WHERE tenant_id = 'acme'")))
        .isZero();
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    globex,
                    tx ->
                        tx.update(
                            "INSERT INTO tenant_members (tenant_id, subject, role, added_by, added_at)"
                                + " VALUES ('acme', 'spy', 'tenant_admin', 'spy', now())")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("row-level security");
    assertThatThrownBy(
            () ->
                databaseOnly.putMember(
                    Fixtures.tenantAdmin("globex"),
                    globex,
                    ACME,
                    "spy",
                    "tenant_admin",
                    Fixtures.allowed()))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("no tenant acme");
    assertThat(count(TenantScope.of(ACME), "SELECT count(*) FROM tenant_members")).isEqualTo(1);
    assertThat(databaseOnly.get(TenantScope.of(ACME), ACME).name()).isEqualTo("acme");
  }

  @Test
  void withoutTheRole_theSuperuserBypassesRls_whichIsWhyTheRoleExists() {
    try (Database raw =
        Database.open(
            TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "", 1, rls.schema())) {
      long seen =
          raw.inTransaction(
              TenantScope.of(GLOBEX),
              tx -> tx.queryOne("SELECT count(*) FROM tenants", r -> r.getLong(1)).orElseThrow());
      assertThat(seen).isEqualTo(2);
    }
  }
}
