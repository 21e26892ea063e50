package io.maestro.tenancy.testing;

import io.maestro.store.Database;
import io.maestro.store.Migrations;
import io.maestro.store.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A fresh, migrated PostgreSQL schema whose transactions run as the application role {@code
 * maestro_app} (created by tenancy's migrations), as the server runs them: row-level security
 * applies although the test connects as the superuser. Dropped on close.
 */
public final class RlsDatabase implements AutoCloseable {
  public static final String ROLE = "maestro_app";

  private final Database database;
  private final String schema;

  private RlsDatabase(Database database, String schema) {
    this.database = database;
    this.schema = schema;
  }

  public static RlsDatabase open() {
    TestDatabase.requirePostgres();
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    Database db =
        Database.open(TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "", 8, schema, ROLE);
    Migrations.migrate(db);
    return new RlsDatabase(db, schema);
  }

  public Database database() {
    return database;
  }

  public String schema() {
    return schema;
  }

  @Override
  public void close() {
    database.close();
    try (Connection c =
        DriverManager.getConnection(TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "")) {
      c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test schema " + schema, e);
    }
  }
}
