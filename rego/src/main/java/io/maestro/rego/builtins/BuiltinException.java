package io.maestro.rego.builtins;

import io.maestro.rego.value.Value;

/** An error raised by a builtin, with OPA's error code. */
public final class BuiltinException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final String TYPE_ERROR = "eval_type_error";
  public static final String BUILTIN_ERROR = "eval_builtin_error";

  private final String code;

  private BuiltinException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** OPA's "&lt;builtin&gt;: operand &lt;n&gt; must be &lt;expected&gt; but got &lt;type&gt;". */
  public static BuiltinException typeError(
      String builtin, int operand, String expected, Value got) {
    return new BuiltinException(
        TYPE_ERROR,
        builtin + ": operand " + operand + " must be " + expected + " but got " + got.typeName());
  }

  /** A type error with a free-form message (prefixed by the builtin's name). */
  public static BuiltinException typeError(String builtin, String message) {
    return new BuiltinException(TYPE_ERROR, builtin + ": " + message);
  }

  /** An eval_builtin_error "&lt;builtin&gt;: &lt;message&gt;". */
  public static BuiltinException error(String builtin, String message) {
    return new BuiltinException(BUILTIN_ERROR, builtin + ": " + message);
  }

  /** "eval_type_error" or "eval_builtin_error". */
  public String code() {
    return code;
  }
}
