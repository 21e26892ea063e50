package io.maestro.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.TenantId;
import io.maestro.store.testing.Backend;
import org.junit.jupiter.api.Test;

class DatabasePostgresTest extends DatabaseContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
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
