package io.maestro.rego.builtins.uri;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** uri.parse and uri.is_valid, over a port of Go's url.Parse (what OPA uses). */
public final class UriBuiltins implements BuiltinFamily {
  @Override
  public void register(BuiltinRegistry r) {
    r.register("uri.parse", "(string) => object[string: string]", (c, a) -> parse(a));
    r.register("uri.is_valid", "(string) => boolean", (c, a) -> isValid(a));
  }

  /**
   * The parts that are present: scheme, hostname, port, path with raw_path (the path as written
   * when it differs from Go's own escaping, else the path), raw_query and fragment.
   */
  private static Value parse(List<Value> a) {
    String s = Args.string("uri.parse", a, 0);
    GoUrl u;
    try {
      u = GoUrl.parse(s);
    } catch (GoUrl.ParseException e) {
      throw BuiltinException.error("uri.parse", e.getMessage());
    }
    Map<Value, Value> out = new LinkedHashMap<>();
    put(out, "scheme", u.scheme());
    put(out, "hostname", u.hostname());
    put(out, "port", u.port());
    if (!u.path().isEmpty()) {
      put(out, "path", u.path());
      put(out, "raw_path", u.rawPath().isEmpty() ? u.path() : u.rawPath());
    }
    put(out, "raw_query", u.rawQuery());
    put(out, "fragment", u.fragment());
    return ObjectValue.of(out);
  }

  /** False for a non-string, for "" and for what Go's url.Parse rejects. */
  private static Value isValid(List<Value> a) {
    if (!(a.get(0) instanceof StringValue s) || s.value().isEmpty()) {
      return BooleanValue.FALSE;
    }
    try {
      GoUrl.parse(s.value());
      return BooleanValue.TRUE;
    } catch (GoUrl.ParseException e) {
      return BooleanValue.FALSE;
    }
  }

  private static void put(Map<Value, Value> out, String key, String value) {
    if (!value.isEmpty()) {
      out.put(StringValue.of(key), StringValue.of(value));
    }
  }
}
