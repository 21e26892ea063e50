package io.maestro.rego;

import io.maestro.rego.ast.Location;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Any error of the engine, with OPA's stable code: rego_parse_error, rego_compile_error,
 * rego_unsafe_var_error, rego_recursion_error, rego_type_error, eval_conflict_error,
 * eval_type_error, eval_builtin_error, eval_cancel_error. The message reads like OPA's: "file:line:
 * code: detail".
 *
 * <p>Compilation reports every independent error it finds (like OPA's compiler): {@link #errors()}
 * lists them sorted by file, line and column, and {@link #code()}, {@link #detail()}, {@link
 * #location()} and the first line of the message describe the first of them.
 */
public class RegoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String detail;
  private final transient Location location;
  private final transient List<RegoError> errors;

  /** At most this many errors are kept, as OPA's compiler does; a note says when more were cut. */
  public static final int MAX_ERRORS = 10;

  public RegoException(String code, String detail, Location location) {
    super(format(code, detail, location), null, false, false);
    this.code = code;
    this.detail = detail;
    this.location = location;
    this.errors = List.of(RegoError.of(code, detail, location));
  }

  private RegoException(List<RegoError> errors) {
    super(format(errors), null, false, false);
    RegoError first = errors.get(0);
    this.code = first.code();
    this.detail = first.message();
    this.location = first.location();
    this.errors = List.copyOf(errors);
  }

  /**
   * One exception for several errors: duplicates dropped, sorted by file, line and column, and
   * capped at {@link #MAX_ERRORS} with a closing "too many errors" note. A single error comes back
   * as it was thrown.
   *
   * @throws IllegalArgumentException when {@code errors} is empty
   */
  public static RegoException of(List<RegoException> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("no errors");
    }
    LinkedHashSet<RegoError> unique = new LinkedHashSet<>();
    for (RegoException e : errors) {
      unique.addAll(e.errors());
    }
    if (errors.size() == 1 && unique.size() == errors.get(0).errors().size()) {
      return errors.get(0);
    }
    List<RegoError> sorted = new ArrayList<>(unique);
    sorted.sort(RegoError.BY_LOCATION);
    if (sorted.size() > MAX_ERRORS) {
      int more = sorted.size() - MAX_ERRORS;
      sorted = new ArrayList<>(sorted.subList(0, MAX_ERRORS));
      sorted.add(
          new RegoError(
              "rego_compile_error", "too many errors: " + more + " more not shown", null, 0, 0));
    }
    return new RegoException(sorted);
  }

  private static String format(List<RegoError> errors) {
    RegoError first = errors.get(0);
    StringBuilder sb = new StringBuilder(format(first.code(), first.message(), first.location()));
    if (errors.size() > 1) {
      // The first line stays the first error alone, so callers that show one line stay useful.
      for (RegoError e : errors.subList(1, errors.size())) {
        sb.append('\n').append(format(e.code(), e.message(), e.location()));
      }
    }
    return sb.toString();
  }

  private static String format(String code, String detail, Location loc) {
    if (loc == null) {
      return code + ": " + detail;
    }
    return loc.file() + ":" + loc.line() + ": " + code + ": " + detail;
  }

  public String code() {
    return code;
  }

  public String detail() {
    return detail;
  }

  public Location location() {
    return location;
  }

  /** Every error, sorted by location (one entry for an exception thrown alone). */
  public List<RegoError> errors() {
    // Null only after deserialization, which drops the transient fields.
    return errors == null ? List.of() : errors;
  }

  public static RegoException parse(String detail, Location loc) {
    return new RegoException("rego_parse_error", detail, loc);
  }

  public static RegoException compile(String detail, Location loc) {
    return new RegoException("rego_compile_error", detail, loc);
  }
}
