package io.maestro.server;

import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every row of every table with a {@code tenant_id} column, as text, for the tenants a condition
 * selects: what the isolation suite and the purge tests compare before and after, to prove that
 * nothing of a tenant changed.
 */
public final class TenantRows {
  private TenantRows() {}

  /**
   * @param condition {@code =} for the tenant's own rows, {@code <>} for every other tenant's
   */
  public static Map<String, List<String>> snapshot(Database db, String condition, String tenant) {
    return snapshot(db, condition, tenant, java.util.Set.of());
  }

  /**
   * As above, with the values of {@code ignored} columns (lower-case {@code table.column}) left
   * out: bookkeeping that background work moves by itself.
   */
  public static Map<String, List<String>> snapshot(
      Database db, String condition, String tenant, java.util.Set<String> ignored) {
    if (!condition.equals("=") && !condition.equals("<>")) {
      throw new IllegalArgumentException("condition is = or <>");
    }
    return db.inTransaction(
        TenantScope.platform(),
        tx -> {
          List<String> tables =
              tx.query(
                  "SELECT table_name FROM information_schema.columns"
                      + " WHERE lower(column_name) = 'tenant_id'"
                      + " AND lower(table_schema) = lower(current_schema())"
                      + " ORDER BY table_name",
                  rs -> rs.getString(1));
          Map<String, List<String>> out = new TreeMap<>();
          for (String t : tables) {
            List<String> rows =
                tx.query(
                    "SELECT * FROM " + t + " WHERE tenant_id " + condition + " ?",
                    rs -> {
                      StringBuilder sb = new StringBuilder();
                      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        String column =
                            t.toLowerCase(Locale.ROOT)
                                + "."
                                + rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT);
                        Object v = ignored.contains(column) ? "*" : rs.getObject(i);
                        sb.append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : v)
                            .append('|');
                      }
                      return sb.toString();
                    },
                    tenant);
            out.put(t.toLowerCase(Locale.ROOT), rows.stream().sorted().toList());
          }
          return out;
        });
  }
}
