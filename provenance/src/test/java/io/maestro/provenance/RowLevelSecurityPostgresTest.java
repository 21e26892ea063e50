package io.maestro.provenance;

import static io.maestro.provenance.Fixtures.ACME;
import static io.maestro.provenance.Fixtures.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.provenance.keys.FileKeyStore;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provenance tables' row-level security policies, exercised as the server runs on PostgreSQL:
 * transactions switch to a role without BYPASSRLS, so the database itself keeps tenants apart even
 * from SQL that forgets the tenant.
 */
@RequiresPostgres
class RowLevelSecurityPostgresTest {
  /** The application role the server's transactions use (tenancy's migrations create it there). */
  static final String ROLE = "maestro_app";

  @TempDir Path dir;
  TestDatabase tdb;
  Database rls;
  Provenance provenance;

  @BeforeEach
  void open() {
    tdb = TestDatabase.postgres();
    String schema = tdb.database().schema();
    tdb.database()
        .useTransaction(
            TenantScope.platform(),
            tx -> {
              tx.update(
                  "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
                      + ROLE
                      + "') THEN CREATE ROLE "
                      + ROLE
                      + " NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT; END IF; EXCEPTION WHEN"
                      + " duplicate_object THEN NULL; END $$");
              tx.update("GRANT USAGE ON SCHEMA " + schema + " TO " + ROLE);
              tx.update(
                  "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
                      + schema
                      + " TO "
                      + ROLE);
            });
    rls =
        Database.open(TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "", 4, schema, ROLE);
    provenance =
        Provenance.open(
            rls,
            ProvenanceSettings.defaults(),
            new FileKeyStore(dir.resolve("keys")),
            Clock.systemUTC(),
            new SplittableRandom(3),
            new SecureRandom());
  }

  @AfterEach
  void close() {
    provenance.checkpointer().close();
    rls.close();
    tdb.close();
  }

  @Test
  void tenantScopedTransactions_seeOnlyTheirOwnLogEvenWithoutAWhereClause() {
    for (int i = 0; i < 3; i++) {
      int n = i;
      rls.useTransaction(
          TenantScope.of(ACME),
          tx -> provenance.receipts().append(tx, Fixtures.runStarted(ACME, n)));
    }
    rls.useTransaction(
        TenantScope.of(GLOBEX),
        tx -> provenance.receipts().append(tx, Fixtures.runStarted(GLOBEX, 1)));
    assertThat(provenance.checkpointer().runOnce()).isEqualTo(new Checkpointer.Run.Signed(2));

    for (String table :
        new String[] {"provenance_receipt", "provenance_log", "provenance_checkpoint"}) {
      long seenByGlobex =
          rls.inTransaction(
              TenantScope.of(GLOBEX),
              tx ->
                  tx.queryOne("SELECT count(*) AS n FROM " + table, rs -> rs.getLong("n"))
                      .orElseThrow());
      long seenByPlatform =
          rls.inTransaction(
              TenantScope.platform(),
              tx ->
                  tx.queryOne("SELECT count(*) AS n FROM " + table, rs -> rs.getLong("n"))
                      .orElseThrow());
      assertThat(seenByGlobex).as(table + " seen by globex").isEqualTo(1);
      assertThat(seenByPlatform).as(table + " seen by the platform").isGreaterThan(1);
    }
  }
}
