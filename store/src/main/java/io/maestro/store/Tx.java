package io.maestro.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One open database transaction, bound to a {@link TenantScope}. Obtained only from {@link
 * Database#inTransaction}; everything done through it commits or rolls back together. Not
 * thread-safe: use it on the thread that received it.
 *
 * <p>Parameters are bound by type: {@link Instant} as {@code timestamp with time zone}, {@link
 * Json} as the dialect's JSON column type, {@code null} as SQL NULL.
 */
public final class Tx {
  private final Connection connection;
  private final TenantScope scope;
  private final Dialect dialect;
  private final List<Runnable> afterCommit = new ArrayList<>();
  private final List<Runnable> beforeCommit = new ArrayList<>();
  private final java.util.Map<Class<?>, Object> locals = new java.util.HashMap<>();
  private final StoreWrites writes;
  private boolean writing;

  /** A query that changes or locks rows: it takes the store's write lock like an update. */
  private static final java.util.regex.Pattern CHANGES =
      java.util.regex.Pattern.compile(
          "\\b(INSERT|UPDATE|DELETE|MERGE)\\b", java.util.regex.Pattern.CASE_INSENSITIVE);

  Tx(Connection connection, TenantScope scope, Dialect dialect) {
    this(connection, scope, dialect, null);
  }

  /**
   * A transaction that takes {@code writes} (when not null) before its first change and holds it
   * until {@link #endWrites} (ADR 0058).
   */
  Tx(Connection connection, TenantScope scope, Dialect dialect, StoreWrites writes) {
    this.connection = connection;
    this.scope = scope;
    this.dialect = dialect;
    this.writes = writes;
  }

  /** Called before anything that may change the database or lock rows. */
  private void willWrite() {
    if (writes != null && !writing) {
      writes.lock();
      writing = true;
    }
  }

  /** Releases the embedded store's write lock once the transaction has ended. */
  void endWrites() {
    if (writing) {
      writing = false;
      writes.unlock();
    }
  }

  public TenantScope scope() {
    return scope;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The raw connection, for batches and streaming; do not commit, roll back or close it. */
  public Connection connection() {
    willWrite(); // what it runs is not known here: taken as a change
    return connection;
  }

  /** Runs {@code action} once the transaction has committed (e.g. to wake workers). */
  public void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  List<Runnable> afterCommitActions() {
    return afterCommit;
  }

  /**
   * Runs {@code action} inside the transaction once its work is done, just before it commits; an
   * action that fails rolls the transaction back.
   */
  public void beforeCommit(Runnable action) {
    beforeCommit.add(action);
  }

  void runBeforeCommit() {
    for (int i = 0; i < beforeCommit.size(); i++) {
      beforeCommit.get(i).run();
    }
  }

  /**
   * This transaction's value of type {@code type}, created by {@code create} on first use: state
   * that lives as long as the transaction (e.g. what to announce when it commits).
   */
  public <T> T local(Class<T> type, java.util.function.Supplier<T> create) {
    Object v = locals.get(type);
    if (v == null) {
      v = create.get();
      locals.put(type, v);
    }
    return type.cast(v);
  }

  /** Executes an INSERT, UPDATE or DELETE and returns the number of rows changed. */
  public int update(String sql, Object... args) {
    willWrite();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("update failed: " + e.getMessage(), e);
    }
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
    if (writes != null && CHANGES.matcher(sql).find()) {
      willWrite(); // FOR UPDATE, or a change whose rows are read back (FINAL TABLE, RETURNING)
    }
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + e.getMessage(), e);
    }
  }

  /** The first row, or empty. */
  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
    List<T> rows = query(sql, mapper, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      bindOne(ps, i + 1, args[i]);
    }
  }

  void bindOne(PreparedStatement ps, int index, Object v) throws SQLException {
    switch (v) {
      case null -> ps.setNull(index, Types.NULL);
      case Instant t ->
          ps.setObject(
              index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
      case Json j -> {
        if (dialect == Dialect.POSTGRESQL) {
          ps.setObject(index, j.text(), Types.OTHER);
        } else {
          ps.setString(index, j.text());
        }
      }
      case UUID u -> ps.setObject(index, u);
      case String s -> ps.setString(index, s);
      case Long l -> ps.setLong(index, l);
      case Integer n -> ps.setInt(index, n);
      case Boolean b -> ps.setBoolean(index, b);
      case BigDecimal d -> ps.setBigDecimal(index, d);
      case byte[] bytes -> ps.setBytes(index, bytes);
      case Enum<?> e -> ps.setString(index, e.name());
      default -> ps.setObject(index, v);
    }
  }

  /** Reads a {@code timestamp with time zone} column as an {@link Instant} (null stays null). */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    if (t != null) {
      return t.toInstant();
    }
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }

  /**
   * A JSON document to store in a JSON column ({@code jsonb} on PostgreSQL, {@code text} on H2).
   */
  public record Json(String text) {}
}
