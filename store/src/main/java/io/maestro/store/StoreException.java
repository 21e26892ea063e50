package io.maestro.store;

import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import java.sql.SQLException;
import java.util.Map;

/** A database failure. Serialization conflicts (SQLState 40001) are retryable; others are not. */
public final class StoreException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public static final ErrorCode DATABASE_ERROR =
      new ErrorCode("database_error", 503, "The database could not complete the request");

  private final String sqlState;

  public StoreException(String detail, SQLException cause) {
    super(DATABASE_ERROR, detail, Map.of(), isSerializationFailure(cause.getSQLState()), cause);
    this.sqlState = cause.getSQLState();
  }

  public String sqlState() {
    return sqlState;
  }

  static boolean isSerializationFailure(String sqlState) {
    return "40001".equals(sqlState) || "40P01".equals(sqlState);
  }
}
