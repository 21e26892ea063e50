package io.maestro.rego;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.rego.builtins.StandardLibrary;
import io.maestro.rego.compiler.CompiledPolicy;
import io.maestro.rego.compiler.Compiler;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.Value;
import java.util.HashMap;
import java.util.Map;

/** Entry point: compiles Rego modules with data into a thread-safe {@link PreparedPolicy}. */
public final class Rego {
  private static final Map<String, StandardLibrary.Entry> STDLIB = StandardLibrary.all();

  private Rego() {}

  /** Compiles modules (file name to source) with base data (null for none). */
  public static PreparedPolicy compile(Map<String, String> modules, Value data) {
    return compile(modules, data, STDLIB);
  }

  public static PreparedPolicy compile(Map<String, String> modules, JsonNode data) {
    return compile(modules, data == null ? null : Value.fromJson(data));
  }

  /** Compiles with a custom builtin set (e.g. the standard library plus test builtins). */
  public static PreparedPolicy compile(
      Map<String, String> modules, Value data, Map<String, StandardLibrary.Entry> builtins) {
    ObjectValue d = data == null ? ObjectValue.EMPTY : (ObjectValue) data;
    CompiledPolicy policy = Compiler.compile(modules, arities(builtins));
    return new PreparedPolicy(policy, d, builtins);
  }

  /** The standard library's builtins. */
  public static Map<String, StandardLibrary.Entry> standardLibrary() {
    return STDLIB;
  }

  static Map<String, Integer> arities(Map<String, StandardLibrary.Entry> builtins) {
    Map<String, Integer> out = new HashMap<>();
    builtins.forEach((k, v) -> out.put(k, v.arity()));
    return out;
  }
}
