package io.maestro.rego;

import io.maestro.rego.ast.Location;
import java.util.Comparator;

/**
 * One error of a {@link RegoException}: OPA's stable code, the detail message and where it is.
 * {@code file} is null and {@code line}/{@code col} are 0 when the error has no location (e.g. the
 * "too many errors" note).
 */
public record RegoError(String code, String message, String file, int line, int col) {
  /** Orders errors by file, line and column; errors without a location come last. */
  static final Comparator<RegoError> BY_LOCATION =
      Comparator.comparing(RegoError::file, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparingInt(RegoError::line)
          .thenComparingInt(RegoError::col);

  static RegoError of(String code, String message, Location loc) {
    return loc == null
        ? new RegoError(code, message, null, 0, 0)
        : new RegoError(code, message, loc.file(), loc.line(), loc.col());
  }

  /** The location, or null when the error has none. */
  public Location location() {
    return file == null ? null : new Location(file, line, col);
  }

  /** {@code file:line:col: code: message}, or {@code code: message} without a location. */
  @Override
  public String toString() {
    if (file == null) {
      return code + ": " + message;
    }
    return file + ":" + line + ":" + Math.max(col, 1) + ": " + code + ": " + message;
  }
}
