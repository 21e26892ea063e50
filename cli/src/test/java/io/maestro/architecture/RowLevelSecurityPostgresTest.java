package io.maestro.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.store.TenantScope;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL every table with a {@code tenant_id} column, whichever module's migrations create
 * it, has row-level security enabled and forced (so even the table's owner is filtered): the
 * database holds tenant isolation when the code's own check is wrong.
 */
@RequiresPostgres
class RowLevelSecurityPostgresTest {
  @Test
  void everyTenantTable_hasForcedRowLevelSecurity() {
    try (TestDatabase tdb = TestDatabase.postgres()) {
      record Table(String name, boolean protectedByRls) {}
      List<Table> tenantTables =
          tdb.database()
              .inTransaction(
                  TenantScope.platform(),
                  tx ->
                      tx.query(
                          "SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity"
                              + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                              + " WHERE n.nspname = current_schema AND c.relkind IN ('r', 'p')"
                              + " AND EXISTS (SELECT 1 FROM information_schema.columns i"
                              + "   WHERE i.table_schema = n.nspname AND i.table_name = c.relname"
                              + "   AND i.column_name = 'tenant_id')",
                          rs -> new Table(rs.getString(1), rs.getBoolean(2))));
      assertThat(tenantTables)
          .extracting(Table::name)
          .contains("engine_runs", "engine_steps", "engine_work");
      assertThat(tenantTables.stream().filter(t -> !t.protectedByRls()).map(Table::name))
          .as("tenant tables without forced row-level security")
          .isEmpty();
    }
  }
}
