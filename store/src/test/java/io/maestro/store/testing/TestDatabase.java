package io.maestro.store.testing;

import io.maestro.store.Database;
import io.maestro.store.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway, migrated database: an in-memory H2 database, or a fresh schema in the local
 * PostgreSQL ({@code MAESTRO_TEST_PG_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/test},
 * user {@code MAESTRO_TEST_PG_USER}, default {@code postgres}). Every test run gets its own schema,
 * so concurrent runs never collide; the schema is dropped on close.
 *
 * <p>When PostgreSQL cannot be reached, PostgreSQL tests are skipped with a message saying so,
 * except under {@code CI=true}, where they fail: CI must run both backends.
 */
public final class TestDatabase implements AutoCloseable {
  private static volatile Boolean postgresReachable;

  private final Database database;
  private final Runnable cleanup;

  private TestDatabase(Database database, Runnable cleanup) {
    this.database = database;
    this.cleanup = cleanup;
  }

  public Database database() {
    return database;
  }

  public static String postgresUrl() {
    return env("MAESTRO_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  }

  public static String postgresUser() {
    return env("MAESTRO_TEST_PG_USER", "postgres");
  }

  public static TestDatabase h2() {
    String name = "t" + UUID.randomUUID().toString().replace("-", "");
    String url =
        "jdbc:h2:mem:"
            + name
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    Database db = Database.open(url, "", "", 8, "");
    Migrations.migrate(db);
    return new TestDatabase(
        db,
        () -> {
          try (Connection c = db.dataSource().getConnection()) {
            c.createStatement().execute("SHUTDOWN");
          } catch (SQLException ignored) {
            // The database is going away either way.
          }
          db.close();
        });
  }

  /**
   * The embedded H2 database exactly as the server opens it: a file under {@code dataDir}, with the
   * server's URL settings. Unlike the in-memory one it does file I/O on commit, where an interrupt
   * closes the file channel.
   */
  public static TestDatabase h2File(java.nio.file.Path dataDir) {
    io.maestro.store.EmbeddedFiles.prepare(dataDir);
    Database db = Database.open(Database.embeddedUrl(dataDir), "", "", 8, "");
    Migrations.migrate(db);
    return new TestDatabase(db, db::close);
  }

  public static TestDatabase postgres() {
    requirePostgres();
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    Database db = Database.open(postgresUrl(), postgresUser(), "", 8, schema);
    Migrations.migrate(db);
    return new TestDatabase(
        db,
        () -> {
          db.close();
          try (Connection c = DriverManager.getConnection(postgresUrl(), postgresUser(), "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
          } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema, e);
          }
        });
  }

  /**
   * Whether PostgreSQL answers at {@link #postgresUrl()} (probed once per JVM; the first probe that
   * finds it unreachable says so in one line).
   */
  public static boolean postgresReachable() {
    if (postgresReachable == null) {
      synchronized (TestDatabase.class) {
        if (postgresReachable == null) {
          postgresReachable = probe();
          if (!postgresReachable) {
            System.err.println(
                "PostgreSQL is not reachable at "
                    + postgresUrl()
                    + ": PostgreSQL tests are SKIPPED (they run in CI).");
          }
        }
      }
    }
    return postgresReachable;
  }

  /** Skips the calling test (or fails it under CI=true) when PostgreSQL is not reachable. */
  public static void requirePostgres() {
    if (!postgresReachable()) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(
            "CI=true but PostgreSQL is not reachable at " + postgresUrl() + "; start it first");
      }
      Assumptions.abort("PostgreSQL not reachable at " + postgresUrl() + ": skipped");
    }
  }

  private static boolean probe() {
    DriverManager.setLoginTimeout(3);
    try (Connection c = DriverManager.getConnection(postgresUrl(), postgresUser(), "")) {
      return c.isValid(3);
    } catch (SQLException e) {
      return false;
    }
  }

  private static String env(String name, String def) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? def : v;
  }

  @Override
  public void close() {
    cleanup.run();
  }
}
