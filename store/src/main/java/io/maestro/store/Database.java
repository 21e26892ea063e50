package io.maestro.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.maestro.core.trace.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The connection pool and the only way to run a transaction. Each transaction is bound to a {@link
 * TenantScope}; on PostgreSQL the scope is written into the transaction-local settings {@code
 * maestro.tenant_id} and {@code maestro.scope} that the row-level security policies read, so the
 * database enforces the tenant boundary again underneath the code.
 *
 * <p>Thread-safe. Serialization failures (SQLState 40001, 40P01) are retried with exponential
 * backoff and jitter; any other failure rolls back and propagates.
 */
public final class Database implements AutoCloseable {
  private static final int MAX_ATTEMPTS = 5;

  private final HikariDataSource pool;
  // Embedded file database only: connections for transactions opened inside a writing one.
  private final HikariDataSource nested;
  private final Dialect dialect;
  private final String url;
  private final String schema;
  private final String rlsRole;
  private final boolean syncEachCommit;
  private final StoreWrites storeWrites = new StoreWrites();
  private final GroupFlush groupFlush = new GroupFlush(storeWrites);
  // Set once by the composition root before any traced work; off until then.
  private volatile Tracing tracing = Tracing.off();

  private Database(
      HikariDataSource pool,
      HikariDataSource nested,
      Dialect dialect,
      String url,
      String schema,
      String rlsRole) {
    this.pool = pool;
    this.nested = nested;
    this.dialect = dialect;
    this.url = url;
    this.schema = schema;
    this.rlsRole = rlsRole;
    this.syncEachCommit = embeddedFile(dialect, url);
  }

  /**
   * The JDBC URL of the embedded H2 database in {@code dataDir}.
   *
   * <p>{@code WRITE_DELAY=0}: H2 otherwise acknowledges a commit and writes it to the file up to
   * half a second later, so a killed process lost runs it had answered 202 for and receipts a
   * signed checkpoint already covered. With it (and a {@code CHECKPOINT SYNC} after each commit,
   * see {@code runOnce}) every commit is on disk before it is acknowledged (ADR 0011).
   */
  public static String embeddedUrl(Path dataDir) {
    return "jdbc:h2:file:"
        + EmbeddedFiles.databaseBase(dataDir)
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE"
        + ";WRITE_DELAY=0";
  }

  /**
   * Opens a pool. Does not migrate: call {@link Migrations#migrate(Database)}.
   *
   * @param schema the schema for Maestro's tables, or empty for the default
   */
  public static Database open(
      String url, String user, String password, int poolSize, String schema) {
    return open(url, user, password, poolSize, schema, "");
  }

  /**
   * Opens a pool whose transactions, on PostgreSQL, switch to {@code rlsRole} ({@code SET LOCAL
   * ROLE}) so row-level security applies to them: superusers and roles with {@code BYPASSRLS}
   * (typically the user that connects and owns the tables) are not subject to it otherwise.
   *
   * @param rlsRole a role without {@code BYPASSRLS}, or empty to keep the connecting user
   */
  public static Database open(
      String url, String user, String password, int poolSize, String schema, String rlsRole) {
    if (!rlsRole.isEmpty() && !rlsRole.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a role name: " + rlsRole);
    }
    Dialect dialect = Dialect.ofUrl(url);
    HikariConfig hc = config(dialect, url, user, password, schema);
    hc.setMaximumPoolSize(poolSize);
    hc.setMinimumIdle(Math.min(2, poolSize));
    hc.setPoolName("maestro-db");
    HikariDataSource pool = new HikariDataSource(hc);
    HikariDataSource nested = null;
    if (embeddedFile(dialect, url)) {
      HikariConfig nc = config(dialect, url, user, password, schema);
      nc.setMaximumPoolSize(NESTED_CONNECTIONS);
      nc.setMinimumIdle(0);
      nc.setPoolName("maestro-db-nested");
      nested = new HikariDataSource(nc);
    }
    return new Database(pool, nested, dialect, url, schema, rlsRole);
  }

  /** Whether {@code url} is an embedded H2 database in a file (not in memory, not PostgreSQL). */
  private static boolean embeddedFile(Dialect dialect, String url) {
    return dialect == Dialect.H2 && url.startsWith("jdbc:h2:file:");
  }

  /**
   * Connections kept apart for transactions that a thread opens while its own writing transaction
   * holds the embedded store's write lock (ADR 0060). One thread at a time holds that lock, so two
   * are enough for a transaction opened inside one that was itself opened inside a writer.
   */
  static final int NESTED_CONNECTIONS = 2;

  private static HikariConfig config(
      Dialect dialect, String url, String user, String password, String schema) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    String effectiveUser = user.isEmpty() ? defaultUser(dialect, url) : user;
    if (!effectiveUser.isEmpty()) {
      hc.setUsername(effectiveUser);
    }
    if (!password.isEmpty()) {
      hc.setPassword(password);
    }
    hc.setAutoCommit(false);
    hc.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
    hc.setInitializationFailTimeout(Duration.ofSeconds(10).toMillis());
    if (!schema.isEmpty()) {
      hc.setConnectionInitSql(
          dialect == Dialect.POSTGRESQL
              ? "CREATE SCHEMA IF NOT EXISTS " + schema + "; SET search_path TO " + schema
              : "CREATE SCHEMA IF NOT EXISTS " + schema + "; SET SCHEMA " + schema);
    }
    return hc;
  }

  /** PostgreSQL's superuser name, used when neither the configuration nor the URL names a user. */
  public static final String DEFAULT_POSTGRES_USER = "postgres";

  /**
   * The user to connect as when none is configured: {@code sa} on H2; on PostgreSQL {@value
   * #DEFAULT_POSTGRES_USER} unless the URL carries {@code user=} (the driver would otherwise send
   * the operating-system user, which rarely exists as a database role).
   */
  static String defaultUser(Dialect dialect, String url) {
    return switch (dialect) {
      case H2 -> "sa";
      case POSTGRESQL -> url.matches("(?i).*[?&]user=.*") ? "" : DEFAULT_POSTGRES_USER;
    };
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The JDBC URL with any password parameters removed, safe to print. */
  public String displayUrl() {
    return displayUrl(url);
  }

  /** {@code url} with any password parameters removed, safe to print. */
  public static String displayUrl(String url) {
    return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
  }

  public String schema() {
    return schema;
  }

  /** The role transactions switch to for row-level security; empty when they do not switch. */
  public String rlsRole() {
    return rlsRole;
  }

  /** The pool, for tools that need a {@link DataSource} (Flyway, metrics). */
  public DataSource dataSource() {
    return pool;
  }

  public HikariDataSource pool() {
    return pool;
  }

  /**
   * Traces this pool's transactions with {@code t}: each transaction run inside a traced request or
   * step attempt becomes a {@code db.transaction} span (its dialect, its scope's tenant, how many
   * attempts it took; never its SQL).
   */
  public void traceWith(Tracing t) {
    this.tracing = java.util.Objects.requireNonNull(t);
  }

  /** Runs {@code work} in one transaction scoped to {@code scope} and returns its result. */
  public <T> T inTransaction(TenantScope scope, TxFunction<T> work) {
    try (Tracing.Traced span = tracing.nested("db.transaction", SpanKind.CLIENT)) {
      span.attribute("db.system.name", dialect == Dialect.POSTGRESQL ? "postgresql" : "h2");
      span.attribute(
          Tracing.TENANT, scope instanceof TenantScope.Tenant t ? t.id().value() : "platform");
      for (int attempt = 1; ; attempt++) {
        try {
          T result = runOnce(scope, work);
          span.attribute("maestro.tx.attempts", attempt);
          return result;
        } catch (StoreException e) {
          if (!e.retryable() || attempt >= MAX_ATTEMPTS) {
            span.attribute("maestro.tx.attempts", attempt).failed(e);
            throw e;
          }
          backoff(attempt);
        } catch (RuntimeException | Error e) {
          span.attribute("maestro.tx.attempts", attempt).failed(e);
          throw e;
        }
      }
    }
  }

  /** Runs {@code work} in one transaction scoped to {@code scope}. */
  public void useTransaction(TenantScope scope, TxConsumer work) {
    inTransaction(
        scope,
        tx -> {
          work.accept(tx);
          return null;
        });
  }

  private <T> T runOnce(TenantScope scope, TxFunction<T> work) {
    Tx tx;
    T result;
    try (Connection c = connection()) {
      tx = new Tx(c, scope, dialect, syncEachCommit ? storeWrites : null);
      try {
        applyScope(c, scope);
        result = work.apply(tx);
        tx.runBeforeCommit();
        boolean wrote = syncEachCommit && hasUncommittedChanges(c);
        if (wrote) {
          commitDurably(c, tx);
        } else {
          // A transaction that changed nothing has nothing to make durable: syncing it anyway put
          // an fsync on every read (a usage summary's p95 on a loaded machine was mostly that).
          c.commit();
        }
      } catch (SQLException e) {
        rollbackQuietly(c, e);
        throw new StoreException("transaction failed: " + e.getMessage(), e);
      } catch (RuntimeException | Error e) {
        rollbackQuietly(c, e);
        if (e instanceof StoreException se && se.getCause() instanceof SQLException) {
          throw se;
        }
        throw e;
      } finally {
        tx.endWrites();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot get a database connection: " + e.getMessage(), e);
    }
    for (Runnable r : List.copyOf(tx.afterCommitActions())) {
      r.run();
    }
    return result;
  }

  /**
   * A connection for a new transaction. On the embedded file database, a thread whose writing
   * transaction holds the store's write lock takes one of the connections kept for it: the pool's
   * may all be held by transactions waiting for that lock (or for the flush that waits for it), and
   * waiting for one of them stalled every writer until the pool's timeout (ADR 0060).
   */
  private Connection connection() throws SQLException {
    if (nested != null && storeWrites.isHeldByCurrentThread()) {
      return nested.getConnection();
    }
    return pool.getConnection();
  }

  /**
   * Commits an embedded-H2 transaction that wrote and makes it durable before it is acknowledged.
   *
   * <p>H2 stores committed changes in chunks. A flush ({@code CHECKPOINT}, and the flush inside
   * {@code CHECKPOINT SYNC}) reads the store version, waits for the store lock and returns without
   * storing if the version moved while it waited: a store by another session finished meanwhile,
   * and that store may have captured the maps before this commit — the crash test lost acknowledged
   * runs on a loaded machine both with one {@code CHECKPOINT SYNC} and with commits serialized. So
   * this flushes twice: if the first flush was skipped, the store that made it skip has finished,
   * and a store that makes the second one skip began after this commit and so holds it; otherwise
   * the flush stored it itself. {@code CHECKPOINT SYNC} then forces the file to disk.
   *
   * <p>The pair of flushes covers every commit that finished before it began, so commits that
   * arrive together share one ({@link GroupFlush}); before, each writing commit ran its own pair,
   * one at a time, and a burst of starts queued behind the disk.
   */
  void commitDurably(Connection c, Tx tx) throws SQLException {
    c.commit();
    tx.endWrites(); // the flush takes the store's write lock itself (ADR 0058)
    groupFlush.awaitDurable(c);
  }

  /** Whether this H2 session's open transaction changed anything. */
  private static boolean hasUncommittedChanges(Connection c) throws SQLException {
    try (var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT CONTAINS_UNCOMMITTED FROM INFORMATION_SCHEMA.SESSIONS"
                    + " WHERE SESSION_ID = SESSION_ID()")) {
      return !rs.next() || rs.getBoolean(1);
    }
  }

  private void applyScope(Connection c, TenantScope scope) throws SQLException {
    if (dialect != Dialect.POSTGRESQL) {
      return; // H2 has no row-level security; the code-level scope is the only guard there.
    }
    // With an RLS role, the same statement also switches to it for this transaction only
    // (set_config('role', …, true) is SET LOCAL ROLE): superusers and BYPASSRLS roles would
    // otherwise not be subject to row-level security, and the pool's connections go back clean.
    String sql =
        rlsRole.isEmpty()
            ? "SELECT set_config('maestro.tenant_id', ?, true), set_config('maestro.scope', ?, true)"
            : "SELECT set_config('maestro.tenant_id', ?, true), set_config('maestro.scope', ?, true),"
                + " set_config('role', ?, true)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      switch (scope) {
        case TenantScope.Tenant t -> {
          ps.setString(1, t.id().value());
          ps.setString(2, "tenant");
        }
        case TenantScope.Platform p -> {
          ps.setString(1, "");
          ps.setString(2, "platform");
        }
      }
      if (!rlsRole.isEmpty()) {
        ps.setString(3, rlsRole);
      }
      ps.execute();
    }
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static void backoff(int attempt) {
    long base = 5L << Math.min(attempt, 6);
    long sleep = base + ThreadLocalRandom.current().nextLong(base);
    try {
      Thread.sleep(sleep);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a transaction", e);
    }
  }

  /**
   * Settings under which the database acknowledges commits it could still lose: PostgreSQL with
   * {@code fsync} or {@code synchronous_commit} off. Empty when commits are durable (the embedded
   * H2 database is opened with {@code WRITE_DELAY=0}).
   */
  public List<String> durabilityWarnings() {
    if (dialect != Dialect.POSTGRESQL) {
      return List.of();
    }
    try (Connection c = pool.getConnection();
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT current_setting('fsync') AS fsync,"
                    + " current_setting('synchronous_commit') AS sync")) {
      rs.next();
      List<String> out = new java.util.ArrayList<>();
      if ("off".equals(rs.getString("fsync"))) {
        out.add("PostgreSQL runs with fsync=off: a crash can lose acknowledged writes");
      }
      if ("off".equals(rs.getString("sync"))) {
        out.add(
            "PostgreSQL runs with synchronous_commit=off: a crash can lose acknowledged writes");
      }
      c.rollback();
      return out;
    } catch (SQLException e) {
      return List.of("cannot read PostgreSQL's durability settings: " + e.getMessage());
    }
  }

  /**
   * Whether another transaction can see a commit before it is written to disk: on the embedded H2
   * file database a commit is visible to readers a moment before its writer has stored it, so a
   * reader must not promise (sign) what it sees at once. PostgreSQL makes a commit visible only
   * after its WAL record is flushed.
   */
  public boolean commitsVisibleBeforeDurable() {
    return embeddedFile(dialect, url);
  }

  /** Checks that a connection can be made and answers a trivial query. */
  public boolean ping() {
    try (Connection c = pool.getConnection();
        var st = c.createStatement()) {
      st.execute("SELECT 1");
      c.rollback();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    // The nested pool first: the embedded database closes cleanly with the main pool's last
    // connection.
    if (nested != null) {
      nested.close();
    }
    pool.close();
  }

  @FunctionalInterface
  public interface TxFunction<T> {
    T apply(Tx tx) throws SQLException;
  }

  @FunctionalInterface
  public interface TxConsumer {
    void accept(Tx tx) throws SQLException;
  }
}
