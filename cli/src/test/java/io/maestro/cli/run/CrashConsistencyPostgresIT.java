package io.maestro.cli.run;

import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** On PostgreSQL: one schema for every incarnation of the server. */
@RequiresPostgres
class CrashConsistencyPostgresIT extends CrashConsistencyContract {
  final String schema = "crashc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

  @Override
  List<String> databaseArgs() {
    TestDatabase.requirePostgres();
    return List.of("--db-url", TestDatabase.postgresUrl());
  }

  @Override
  Map<String, String> env() {
    return Map.of("MAESTRO_DB_SCHEMA", schema, "MAESTRO_DB_USER", TestDatabase.postgresUser());
  }

  @Override
  Connection inspect(Path kept) throws Exception {
    Connection c =
        DriverManager.getConnection(TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "");
    try (var st = c.createStatement()) {
      st.execute("SET search_path TO " + schema);
    }
    return c;
  }

  @Override
  void cleanUp() throws Exception {
    try (Connection c =
        DriverManager.getConnection(TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "")) {
      c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
