package io.maestro.rego;

import io.maestro.rego.builtins.StandardLibrary;
import io.maestro.rego.compiler.CompiledPolicy;
import io.maestro.rego.eval.Engine;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.Value;
import java.util.Map;

/** A compiled policy with its data. Immutable and thread-safe: evaluate from any thread. */
public final class PreparedPolicy {
  private final CompiledPolicy policy;
  private final ObjectValue data;
  private final Map<String, StandardLibrary.Entry> builtins;

  PreparedPolicy(
      CompiledPolicy policy, ObjectValue data, Map<String, StandardLibrary.Entry> builtins) {
    this.policy = policy;
    this.data = data;
    this.builtins = builtins;
  }

  /** Evaluates a query (e.g. "data.authz.allow = x"); input null means undefined input. */
  public ResultSet eval(String query, Value input, EvalOptions options) {
    return new ResultSet(Engine.eval(policy, data, builtins, query, input, options));
  }

  public ResultSet eval(String query, Value input) {
    return eval(query, input, EvalOptions.defaults());
  }

  /** The value of a document (e.g. "data.authz.allow"), or null when undefined. */
  public Value evalRef(String ref, Value input, EvalOptions options) {
    ResultSet rs = eval(ref + " = __result", input, options);
    return rs.first("__result");
  }
}
