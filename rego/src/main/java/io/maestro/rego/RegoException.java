package io.maestro.rego;

import io.maestro.rego.ast.Location;

/**
 * Any error of the engine, with OPA's stable code: rego_parse_error, rego_compile_error,
 * rego_unsafe_var_error, rego_recursion_error, rego_type_error, eval_conflict_error,
 * eval_type_error, eval_builtin_error, eval_cancel_error. The message reads like OPA's: "file:line:
 * code: detail".
 */
public class RegoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String detail;
  private final transient Location location;

  public RegoException(String code, String detail, Location location) {
    super(format(code, detail, location), null, false, false);
    this.code = code;
    this.detail = detail;
    this.location = location;
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

  public static RegoException parse(String detail, Location loc) {
    return new RegoException("rego_parse_error", detail, loc);
  }

  public static RegoException compile(String detail, Location loc) {
    return new RegoException("rego_compile_error", detail, loc);
  }
}
