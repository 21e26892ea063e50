package io.maestro.server.http;

import io.helidon.webserver.http.ServerRequest;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads query parameters, the one way every handler does it: a value that does not parse or is out
 * of range is a 422 {@code validation_failed} problem naming the parameter, never a 500. An empty
 * value ({@code ?after=}) counts as absent.
 */
public final class QueryParams {
  private QueryParams() {}

  /** The parameter's first value; empty when absent or empty. */
  public static Optional<String> text(ServerRequest req, String name) {
    return req.query().first(name).asOptional().filter(s -> !s.isEmpty());
  }

  /** The parameter's first value; {@code validation_failed} when absent. */
  public static String required(ServerRequest req, String name) {
    return text(req, name).orElseThrow(() -> invalid(name, "is required"));
  }

  /** An integer from {@code min} to {@code max}, {@code def} when absent. */
  public static long longValue(ServerRequest req, String name, long def, long min, long max) {
    return text(req, name).map(v -> parseLong(name, v, min, max)).orElse(def);
  }

  /** An integer from {@code min} to {@code max}, {@code def} when absent. */
  public static int intValue(ServerRequest req, String name, int def, int min, int max) {
    return (int) longValue(req, name, def, min, max);
  }

  /** {@code true} or {@code false}, {@code def} when absent. */
  public static boolean bool(ServerRequest req, String name, boolean def) {
    return text(req, name)
        .map(
            v ->
                switch (v) {
                  case "true" -> true;
                  case "false" -> false;
                  default -> throw invalid(name, "must be true or false");
                })
        .orElse(def);
  }

  /** A constant of {@code type} named in any case, e.g. {@code ?status=running}. */
  public static <E extends Enum<E>> Optional<E> enumValue(
      ServerRequest req, String name, Class<E> type) {
    return text(req, name)
        .map(
            v -> {
              try {
                return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
              } catch (IllegalArgumentException e) {
                throw invalid(name, "has no value '" + v + "'");
              }
            });
  }

  /**
   * The value as {@code parser} reads it; any exception it throws becomes {@code validation_failed}
   * with its message.
   */
  public static <T> Optional<T> parsed(ServerRequest req, String name, Function<String, T> parser) {
    return text(req, name)
        .map(
            v -> {
              try {
                return parser.apply(v);
              } catch (RuntimeException e) {
                throw invalid(name, "is not valid: " + e.getMessage());
              }
            });
  }

  private static long parseLong(String name, String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw invalid(name, "must be an integer from " + min + " to " + max);
    }
    if (n < min || n > max) {
      throw invalid(name, "must be an integer from " + min + " to " + max);
    }
    return n;
  }

  private static MaestroException invalid(String name, String what) {
    return MaestroException.of(
        CoreErrors.VALIDATION_FAILED, "query parameter '" + name + "' " + what);
  }
}
