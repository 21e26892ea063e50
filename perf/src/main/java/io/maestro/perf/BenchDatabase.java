package io.maestro.perf;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The database one engine runs on: an H2 file of its own, or a PostgreSQL database of its own
 * ({@code perf_<engine>}, created fresh and dropped at the end) so that its {@code
 * pg_stat_database.xact_commit} counts that engine's commits only.
 */
public final class BenchDatabase implements AutoCloseable {
  /** How long after the load stops PostgreSQL backends may still hold unreported statistics. */
  private static final Duration STATS_SETTLE = Duration.ofMillis(1500);

  private final boolean postgres;
  private final String url;
  private final String user;
  private final int poolSize;
  private final Path dir;
  private final String adminUrl;
  private final String databaseName;
  private HikariDataSource pool;

  private BenchDatabase(
      boolean postgres,
      String url,
      String user,
      int poolSize,
      Path dir,
      String adminUrl,
      String databaseName) {
    this.postgres = postgres;
    this.url = url;
    this.user = user;
    this.poolSize = poolSize;
    this.dir = dir;
    this.adminUrl = adminUrl;
    this.databaseName = databaseName;
  }

  /** An H2 file database in {@code dir}, named after the engine. */
  public static BenchDatabase h2(Path dir, String engine, int poolSize) {
    String url = "jdbc:h2:file:" + dir.resolve(engine) + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    return new BenchDatabase(false, url, "sa", poolSize, dir, null, null);
  }

  /**
   * A fresh PostgreSQL database {@code perf_<engine>} on the server of {@code adminUrl} (a JDBC URL
   * of an existing database used only to create, observe and drop it).
   */
  public static BenchDatabase postgres(
      String adminUrl, String user, String engine, int poolSize, Path dir) throws SQLException {
    String name = "perf_" + engine;
    try (Connection c = DriverManager.getConnection(adminUrl, user, "");
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      st.execute("CREATE DATABASE " + name);
    }
    String url = adminUrl.replaceFirst("/[^/?]*(\\?.*)?$", "/" + name);
    return new BenchDatabase(true, url, user, poolSize, dir, adminUrl, name);
  }

  public boolean isPostgres() {
    return postgres;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  public int poolSize() {
    return poolSize;
  }

  /** A directory for the engine's files (Maestro's data directory, H2 files). */
  public Path dir() {
    return dir;
  }

  /** A connection pool of {@link #poolSize()} connections; see {@link #dataSource(int)}. */
  public DataSource dataSource() {
    return dataSource(poolSize);
  }

  /**
   * A connection pool of {@code size} connections (one pool per database). On H2 every commit is
   * followed by {@code CHECKPOINT SYNC}, as Maestro does on embedded H2 (ADR 0011), so all engines
   * pay for durable commits alike.
   */
  public synchronized DataSource dataSource(int size) {
    if (pool == null) {
      HikariConfig c = new HikariConfig();
      c.setJdbcUrl(url);
      c.setUsername(user);
      c.setPassword("");
      c.setMaximumPoolSize(size);
      c.setConnectionTimeout(Duration.ofMinutes(2).toMillis());
      pool = new HikariDataSource(c);
    }
    return postgres ? pool : syncingCommits(pool);
  }

  /**
   * The commits of this engine's PostgreSQL database so far ({@code xact_commit}), after letting
   * the backends report their pending statistics; -1 on H2.
   */
  public long commits() throws SQLException, InterruptedException {
    if (!postgres) {
      return -1;
    }
    Thread.sleep(STATS_SETTLE.toMillis());
    try (Connection c = DriverManager.getConnection(adminUrl, user, "");
        PreparedStatement ps =
            c.prepareStatement("SELECT xact_commit FROM pg_stat_database WHERE datname = ?")) {
      c.createStatement().execute("SELECT pg_stat_clear_snapshot()");
      ps.setString(1, databaseName);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  @Override
  public void close() throws SQLException {
    if (pool != null) {
      pool.close();
    }
    if (postgres) {
      try (Connection c = DriverManager.getConnection(adminUrl, user, "");
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
      }
    }
  }

  private static DataSource syncingCommits(DataSource target) {
    return (DataSource)
        Proxy.newProxyInstance(
            BenchDatabase.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Object result = invoke(target, method, args);
              return result instanceof Connection c ? syncingCommits(c) : result;
            });
  }

  private static Connection syncingCommits(Connection target) {
    return (Connection)
        Proxy.newProxyInstance(
            BenchDatabase.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              Object result = invoke(target, method, args);
              if (method.getName().equals("commit")) {
                try (Statement st = target.createStatement()) {
                  st.execute("CHECKPOINT SYNC");
                }
              }
              return result;
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
