package io.maestro.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.TenantId;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

@RequiresPostgres
class DatabasePostgresTest extends DatabaseContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }

  @Test
  void open_withoutUser_connectsAsThePostgresSuperuser() {
    TestDatabase.requirePostgres();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Database.DEFAULT_POSTGRES_USER.equals(TestDatabase.postgresUser()),
        "the test server's user is not postgres");
    // Regression: an empty user reached the server as "" ("no PostgreSQL user name specified in
    // startup packet") from every connection made outside the pool.
    try (Database noUser = Database.open(TestDatabase.postgresUrl(), "", "", 1, "")) {
      assertThat(noUser.pool().getUsername()).isEqualTo("postgres");
      assertThat(noUser.ping()).isTrue();
    }
  }

  @Test
  void defaultUser_isPostgresUnlessTheUrlNamesOne() {
    assertThat(Database.defaultUser(Dialect.POSTGRESQL, "jdbc:postgresql://h:5432/db"))
        .isEqualTo("postgres");
    assertThat(Database.defaultUser(Dialect.POSTGRESQL, "jdbc:postgresql://h/db?ssl=true&user=app"))
        .isEmpty();
    assertThat(Database.defaultUser(Dialect.H2, "jdbc:h2:mem:x")).isEqualTo("sa");
  }

  @Test
  void inTransaction_setsTheTenantForRowLevelSecurity() {
    String seen =
        db.inTransaction(
            TenantScope.of(TenantId.of("acme")),
            tx ->
                tx.queryOne(
                        "SELECT current_setting('maestro.tenant_id', true) || '/' ||"
                            + " current_setting('maestro.scope', true) AS s",
                        rs -> rs.getString("s"))
                    .orElseThrow());
    assertThat(seen).isEqualTo("acme/tenant");
    String platform =
        db.inTransaction(
            TenantScope.platform(),
            tx ->
                tx.queryOne(
                        "SELECT current_setting('maestro.scope', true) AS s",
                        rs -> rs.getString("s"))
                    .orElseThrow());
    assertThat(platform).isEqualTo("platform");
  }
}
