package io.maestro.rego.builtins;

import io.maestro.rego.value.Value;
import java.util.List;

/**
 * One Rego builtin function. Implementations must be thread-safe and side-effect free (apart from
 * the context's print sink and cache): one instance serves every evaluation.
 */
@FunctionalInterface
public interface Builtin {
  /**
   * Returns the result, or null when the call is undefined. Throws {@link BuiltinException} on
   * errors; the evaluator turns those into undefined unless strict builtin errors are on.
   */
  Value call(BuiltinContext ctx, List<Value> args);
}
