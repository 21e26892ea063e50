package io.maestro.server.auth;

import io.maestro.core.config.MaestroConfig;
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
    return MaestroServer.start(config(dataDir, schema, Map.of()), guard);
  }

  /**
   * A test server's configuration on PostgreSQL in {@code schema}, transactions running as {@code
   * maestro_app} under row-level security, with {@code overrides}.
   */
  public static MaestroConfig config(Path dataDir, String schema, Map<String, String> overrides) {
    Map<String, String> all = new java.util.HashMap<>(overrides);
    all.put("db.url", TestDatabase.postgresUrl());
    all.put("db.user", TestDatabase.postgresUser());
    all.put("db.schema", schema);
    all.put("db.rlsRole", "maestro_app");
    return TestServers.config(dataDir, all);
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
