package io.maestro.rego;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.rego.builtins.Signature;
import io.maestro.rego.builtins.StandardLibrary;
import io.maestro.rego.builtins.Type;
import io.maestro.rego.value.GoJson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The engine's capabilities in OPA's capabilities JSON format (what {@code opa capabilities
 * --current} prints), generated from a builtin registry, so that a policy can be checked against
 * this engine with OPA's own tools ({@code opa check --capabilities}).
 */
public final class Capabilities {
  /** Registered for the engine's own lowering, not callable by name in OPA. */
  private static final Set<String> ENGINE_PRIVATE = Set.of("internal.const");

  /** Keywords of Rego v1; {@code import future.keywords…} is accepted and changes nothing. */
  static final List<String> FUTURE_KEYWORDS = List.of("contains", "every", "if", "in");

  /** OPA language features this engine implements (rego_v1 syntax, refs like a.if, $"…{x}"). */
  static final List<String> FEATURES = List.of("keywords_in_refs", "rego_v1", "template_strings");

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Capabilities() {}

  /**
   * The standard library's capabilities as {@code opa capabilities --current} prints them: Go's
   * json.MarshalIndent with two spaces, fields in OPA's order, HTML characters escaped.
   */
  public static String currentJson() {
    StringBuilder sb = new StringBuilder();
    write(current(), sb, 0);
    return sb.append('\n').toString();
  }

  /** The standard library's capabilities. */
  public static ObjectNode current() {
    return of(Rego.standardLibrary());
  }

  /** The capabilities of a builtin set: builtins sorted by name, keywords, features, no Wasm. */
  public static ObjectNode of(Map<String, StandardLibrary.Entry> builtins) {
    ArrayNode list = JSON.arrayNode();
    new TreeMap<>(builtins)
        .forEach(
            (name, entry) -> {
              if (!ENGINE_PRIVATE.contains(name)) {
                list.add(builtin(name, entry.signature()));
              }
            });
    ObjectNode out = JSON.objectNode();
    out.set("builtins", list);
    out.set("future_keywords", strings(FUTURE_KEYWORDS));
    out.set("wasm_abi_versions", JSON.arrayNode());
    out.set("features", strings(FEATURES));
    return out;
  }

  /** One builtin as OPA writes it: name, decl, then the infix, relation and other marks. */
  public static ObjectNode builtin(String name, Signature sig) {
    ObjectNode b = JSON.objectNode();
    b.put("name", name);
    ObjectNode decl = b.putObject("decl");
    if (!sig.args().isEmpty()) {
      ArrayNode args = decl.putArray("args");
      sig.args().forEach(t -> args.add(type(t)));
    }
    if (sig.result() != null) {
      decl.set("result", type(sig.result()));
    }
    decl.put("type", "function");
    if (sig.variadic() != null) {
      decl.set("variadic", type(sig.variadic()));
    }
    if (sig.infix() != null) {
      b.put("infix", sig.infix());
    }
    if (sig.relation()) {
      b.put("relation", true);
    }
    if (sig.nondeterministic()) {
      b.put("nondeterministic", true);
    }
    if (sig.deprecated()) {
      b.put("deprecated", true);
    }
    return b;
  }

  /** A type in OPA's JSON form, keys in the order OPA writes them. */
  public static ObjectNode type(Type t) {
    ObjectNode o = JSON.objectNode();
    switch (t) {
      case Type.Scalar s -> o.put("type", s.name());
      case Type.AnyOf a -> {
        if (!a.of().isEmpty()) {
          ArrayNode of = o.putArray("of");
          a.of().forEach(x -> of.add(type(x)));
        }
        o.put("type", "any");
      }
      case Type.Array a -> {
        if (a.dynamic() != null) {
          o.set("dynamic", type(a.dynamic()));
        }
        if (!a.fixed().isEmpty()) {
          ArrayNode fixed = o.putArray("static");
          a.fixed().forEach(x -> fixed.add(type(x)));
        }
        o.put("type", "array");
      }
      case Type.SetOf s -> {
        o.set("of", type(s.of()));
        o.put("type", "set");
      }
      case Type.Obj ob -> {
        if (ob.dynamicKey() != null) {
          ObjectNode dyn = o.putObject("dynamic");
          dyn.set("key", type(ob.dynamicKey()));
          dyn.set("value", type(ob.dynamicValue()));
        }
        if (!ob.fixed().isEmpty()) {
          ArrayNode fixed = o.putArray("static");
          ob.fixed()
              .forEach(
                  p -> {
                    ObjectNode prop = fixed.addObject();
                    prop.put("key", p.key());
                    prop.set("value", type(p.value()));
                  });
        }
        o.put("type", "object");
      }
    }
    return o;
  }

  private static void write(JsonNode n, StringBuilder sb, int depth) {
    if (n.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = List.copyOf(n.properties());
      sb.append('{');
      for (int i = 0; i < fields.size(); i++) {
        newline(sb, i == 0 ? "" : ",", depth + 1);
        GoJson.quote(fields.get(i).getKey(), sb);
        sb.append(": ");
        write(fields.get(i).getValue(), sb, depth + 1);
      }
      close(sb, '}', !fields.isEmpty(), depth);
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        newline(sb, i == 0 ? "" : ",", depth + 1);
        write(n.get(i), sb, depth + 1);
      }
      close(sb, ']', !n.isEmpty(), depth);
    } else if (n.isTextual()) {
      GoJson.quote(n.asText(), sb);
    } else {
      sb.append(n);
    }
  }

  private static void newline(StringBuilder sb, String comma, int depth) {
    sb.append(comma).append('\n').append("  ".repeat(depth));
  }

  private static void close(StringBuilder sb, char bracket, boolean any, int depth) {
    if (any) {
      newline(sb, "", depth);
    }
    sb.append(bracket);
  }

  private static JsonNode strings(List<String> items) {
    ArrayNode a = JSON.arrayNode();
    items.forEach(a::add);
    return a;
  }
}
