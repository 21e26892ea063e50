package io.maestro.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Fresh H2 and PostgreSQL databases, migrated by every module's scripts, have the same schema: the
 * same tables, the same columns in the same order with the same type and nullability, the same
 * primary keys and unique constraints and the same named indexes. The types are compared as each
 * database reports them in {@code information_schema}, with the differences the migrations mean: a
 * {@code ${json}} column is {@code jsonb} on PostgreSQL and text on H2, and H2 reports {@code text}
 * as {@code character varying}. Row-level security, which only PostgreSQL has, is checked by {@link
 * RowLevelSecurityPostgresTest}.
 */
@RequiresPostgres
class SchemaParityPostgresTest {
  /** PostgreSQL's type names as H2 reports the same migration's column. */
  private static final Map<String, String> AS_ON_H2 =
      Map.of("text", "character varying", "jsonb", "character varying", "bytea", "binary varying");

  private static final java.util.Set<String> H2_ONLY_INDEXES =
      java.util.Set.of(
          "index engine_runs engine_runs_newest",
          "index engine_runs engine_runs_status_newest",
          "index engine_runs engine_runs_workflow_newest",
          "index provenance_checkpoint provenance_checkpoint_newest");

  @Test
  void freshH2AndPostgresDatabases_haveTheSameSchema() {
    try (TestDatabase h2 = TestDatabase.h2();
        TestDatabase pg = TestDatabase.postgres()) {
      TreeSet<String> onH2 = describe(h2.database());
      TreeSet<String> onPg = describe(pg.database());
      assertThat(onH2).anyMatch(l -> l.startsWith("column engine_runs."));
      // Each kind of line is there, so an empty description cannot pass.
      assertThat(onH2)
          .contains(
              "column policy_decisions.result #6 character varying not null",
              "primary key policy_decisions #1 tenant_id",
              "index policy_decisions policy_decisions_time");
      TreeSet<String> onlyH2 = new TreeSet<>(onH2);
      onlyH2.removeAll(onPg);
      // Newest-first lists: PostgreSQL reads the ascending keys backwards, H2 needs descending
      // indexes of its own (db/migration/h2, the console's run list and the latest checkpoint).
      onlyH2.removeAll(H2_ONLY_INDEXES);
      TreeSet<String> onlyPg = new TreeSet<>(onPg);
      onlyPg.removeAll(onH2);
      assertThat(onlyH2).as("only on H2").isEmpty();
      assertThat(onlyPg).as("only on PostgreSQL").isEmpty();
    }
  }

  /** One line per column, key and index of the current schema, in a dialect-neutral form. */
  private static TreeSet<String> describe(Database db) {
    TreeSet<String> out = new TreeSet<>();
    db.inTransaction(
        TenantScope.platform(),
        tx -> {
          out.addAll(
              tx.query(
                  "SELECT table_name, column_name, ordinal_position, data_type, is_nullable,"
                      + " character_maximum_length FROM information_schema.columns"
                      + " WHERE table_schema = CURRENT_SCHEMA"
                      + " AND LOWER(table_name) <> 'flyway_schema_history'",
                  rs -> {
                    String type = lower(rs.getString(4));
                    long length = rs.getLong(6);
                    // Unbounded text: no length on PostgreSQL, H2's maximum on H2.
                    String size = rs.wasNull() || length >= 1_000_000 ? "" : "(" + length + ")";
                    return "column "
                        + lower(rs.getString(1))
                        + "."
                        + lower(rs.getString(2))
                        + " #"
                        + rs.getInt(3)
                        + " "
                        + AS_ON_H2.getOrDefault(type, type)
                        + size
                        + ("YES".equalsIgnoreCase(rs.getString(5)) ? " null" : " not null");
                  }));
          out.addAll(
              tx.query(
                  "SELECT c.table_name, c.constraint_type, k.column_name, k.ordinal_position"
                      + " FROM information_schema.table_constraints c"
                      + " JOIN information_schema.key_column_usage k"
                      + " ON k.constraint_schema = c.constraint_schema"
                      + " AND k.constraint_name = c.constraint_name"
                      + " AND k.table_name = c.table_name"
                      + " WHERE c.table_schema = CURRENT_SCHEMA"
                      + " AND c.constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
                      + " AND LOWER(c.table_name) <> 'flyway_schema_history'",
                  rs ->
                      lower(rs.getString(2))
                          + " "
                          + lower(rs.getString(1))
                          + " #"
                          + rs.getInt(4)
                          + " "
                          + lower(rs.getString(3))));
          out.addAll(indexes(db, tx));
          return null;
        });
    return out;
  }

  /** The indexes the migrations name ({@code CREATE [UNIQUE] INDEX name}), not those of keys. */
  private static List<String> indexes(Database db, io.maestro.store.Tx tx) {
    String sql =
        db.dialect() == io.maestro.store.Dialect.POSTGRESQL
            ? "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = CURRENT_SCHEMA"
                + " AND indexname NOT LIKE '%\\_pkey' AND indexname NOT IN (SELECT constraint_name"
                + " FROM information_schema.table_constraints WHERE table_schema = CURRENT_SCHEMA)"
            : "SELECT table_name, index_name FROM information_schema.indexes"
                + " WHERE table_schema = CURRENT_SCHEMA AND index_type_name IN"
                + " ('INDEX', 'UNIQUE INDEX') AND index_name NOT IN (SELECT index_name FROM"
                + " information_schema.table_constraints WHERE table_schema = CURRENT_SCHEMA"
                + " AND index_name IS NOT NULL)";
    return tx
        .query(sql, rs -> "index " + lower(rs.getString(1)) + " " + lower(rs.getString(2)))
        .stream()
        .filter(l -> !l.contains("flyway_schema_history"))
        .toList();
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
