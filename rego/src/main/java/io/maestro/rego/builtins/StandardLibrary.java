package io.maestro.rego.builtins;

import io.maestro.rego.builtins.core.CoreBuiltins;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every builtin family of the standard library. Each family adds its class to {@link #FAMILIES}
 * once it compiles and its tests pass.
 */
public final class StandardLibrary {
  private StandardLibrary() {}

  /** The families, in registration order (a later family may replace an earlier name). */
  public static final List<BuiltinFamily> FAMILIES =
      List.of(
          new CoreBuiltins(),
          new io.maestro.rego.builtins.text.TextBuiltins(),
          new io.maestro.rego.builtins.regex.RegexBuiltins(),
          new io.maestro.rego.builtins.encoding.EncodingBuiltins(),
          new io.maestro.rego.builtins.units.UnitsBuiltins(),
          new io.maestro.rego.builtins.uuid.UuidBuiltins(),
          new io.maestro.rego.builtins.semver.SemverBuiltins(),
          new io.maestro.rego.builtins.time.TimeBuiltins(),
          new io.maestro.rego.builtins.net.NetBuiltins(),
          new io.maestro.rego.builtins.graph.GraphBuiltins(),
          new io.maestro.rego.builtins.crypto.CryptoBuiltins(),
          new io.maestro.rego.builtins.jwt.JwtBuiltins(),
          new io.maestro.rego.builtins.json.JsonBuiltins(),
          new io.maestro.rego.builtins.graphql.GraphqlBuiltins(),
          new io.maestro.rego.builtins.uri.UriBuiltins()
          // families of the other builtin areas are added below, one line each
          );

  /** A registered builtin with its declaration. */
  public record Entry(String name, Signature signature, Builtin fn) {
    /** The number of operands, or -1 for a variadic builtin. */
    public int arity() {
      return signature.arity();
    }
  }

  /** Every builtin of the standard library, by name. */
  public static Map<String, Entry> all() {
    Map<String, Entry> out = new HashMap<>();
    for (BuiltinFamily f : FAMILIES) {
      f.register((name, sig, fn) -> out.put(name, new Entry(name, Signature.parse(sig), fn)));
    }
    return out;
  }
}
