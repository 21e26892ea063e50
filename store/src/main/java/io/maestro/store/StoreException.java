package io.maestro.store;

import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import java.sql.SQLException;
import java.util.Map;

/**
 * A database failure. Serialization conflicts (SQLState 40001) are retryable; others are not. The
 * message (for logs) carries the driver's text; {@link #detail()}, what a caller is shown, never
 * does: SQL error text can echo a caller's data and reveals the schema.
 */
public final class StoreException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public static final ErrorCode DATABASE_ERROR =
      new ErrorCode("database_error", 503, "The database could not complete the request");

  private final String sqlState;

  public StoreException(String detail, SQLException cause) {
    super(DATABASE_ERROR, detail, Map.of(), isSerializationFailure(cause.getSQLState()), cause);
    this.sqlState = cause.getSQLState();
  }

  /** What the caller is shown: the database's own text stays in the server log. */
  @Override
  public String detail() {
    return "the database could not complete the request; quote the request id";
  }

  public String sqlState() {
    return sqlState;
  }

  static boolean isSerializationFailure(String sqlState) {
    return "40001".equals(sqlState) || "40P01".equals(sqlState);
  }
}
