package io.maestro.server.auth;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.store.testing.TestDatabase;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * A real server on the local PostgreSQL, in a fresh schema, with row-level security made real: its
 * transactions run as {@code maestro_app} ({@code db.rlsRole}), as in production.
 */
public final class PostgresServers {
  private PostgresServers() {}

  public static String newSchema() {
    TestDatabase.requirePostgres();
    return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  public static MaestroServer start(Path dataDir, String schema) {
    return start(dataDir, schema, ScopeGuard.ENFORCING);
  }

  public static MaestroServer start(Path dataDir, String schema, ScopeGuard guard) {
    return MaestroServer.start(
        TestServers.config(
            dataDir,
            Map.of(
                "db.url",
                TestDatabase.postgresUrl(),
                "db.user",
                TestDatabase.postgresUser(),
                "db.schema",
                schema,
                "db.rlsRole",
                "maestro_app")),
        guard);
  }

  public static void drop(String schema) {
    try (Connection c =
        DriverManager.getConnection(TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "")) {
      c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test schema " + schema, e);
    }
  }
}
