package io.maestro.rego.builtins.graphql;

import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GraphQL AST node in the field layout of gqlparser's Go structs, so that it converts to and from
 * the JSON shape OPA exposes. Source positions ride along under {@code Position} and are dropped on
 * output, as OPA drops them.
 */
final class Node extends LinkedHashMap<String, Object> {
  private static final long serialVersionUID = 1L;

  static final String POSITION = "Position";

  Node with(String key, Object value) {
    put(key, value);
    return this;
  }

  Node at(GqlLexer.Token t) {
    put(POSITION, new int[] {t.line(), t.column()});
    return this;
  }

  String str(String key) {
    return get(key) instanceof String s ? s : "";
  }

  boolean bool(String key) {
    return get(key) instanceof Boolean b && b;
  }

  Node node(String key) {
    return get(key) instanceof Node n ? n : null;
  }

  @SuppressWarnings("unchecked")
  List<Node> nodes(String key) {
    if (get(key) instanceof List<?> l) {
      List<Node> out = new ArrayList<>();
      for (Object o : l) {
        if (o instanceof Node n) {
          out.add(n);
        }
      }
      return out;
    }
    return List.of();
  }

  List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    if (get(key) instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }

  int[] position() {
    return get(POSITION) instanceof int[] p ? p : new int[] {0, 0};
  }

  /** OPA's rendering: positions dropped, nulls and empty arrays/objects pruned. */
  Value toValue() {
    return prune(this);
  }

  private static Value prune(Object o) {
    return switch (o) {
      case null -> null;
      case Node n -> {
        Map<Value, Value> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : n.entrySet()) {
          if (e.getKey().equals(POSITION)) {
            continue;
          }
          Value v = prune(e.getValue());
          if (v != null) {
            out.put(StringValue.of(e.getKey()), v);
          }
        }
        yield out.isEmpty() ? null : ObjectValue.of(out);
      }
      case List<?> l -> {
        List<Value> out = new ArrayList<>();
        for (Object e : l) {
          Value v = prune(e);
          if (v != null) {
            out.add(v);
          }
        }
        yield out.isEmpty() ? null : ArrayValue.of(out);
      }
      case String s -> StringValue.of(s);
      case Boolean b -> BooleanValue.of(b);
      case Integer i -> NumberValue.of(i);
      default -> null;
    };
  }

  /** Reads an AST given as a Rego object (as graphql.parse_query returns it). */
  static Object fromValue(Value v) {
    return switch (v) {
      case ObjectValue o -> {
        Node n = new Node();
        for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
          if (e.getKey() instanceof StringValue k) {
            n.put(k.value(), fromValue(e.getValue()));
          }
        }
        yield n;
      }
      case ArrayValue a -> {
        List<Object> out = new ArrayList<>();
        for (Value e : a.elements()) {
          out.add(fromValue(e));
        }
        yield out;
      }
      case StringValue s -> s.value();
      case BooleanValue b -> b.value();
      case NumberValue n -> n.isInteger() ? n.bigInteger().intValue() : 0;
      default -> null;
    };
  }
}
