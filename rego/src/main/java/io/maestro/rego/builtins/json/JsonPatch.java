package io.maestro.rego.builtins.json;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 6902 JSON Patch over Rego values, extended as OPA does: paths may be arrays of segments, and
 * sets are addressed by their elements. A patch that cannot be applied yields undefined.
 */
final class JsonPatch {
  private JsonPatch() {}

  private static final String B = "json.patch";

  /** Signals that the patch does not apply; the builtin result is undefined. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure() {
      super(null, null, false, false);
    }
  }

  /** Applies the operations in order; returns null (undefined) when one cannot be applied. */
  static Value apply(Value doc, ArrayValue ops) {
    Value cur = doc;
    for (Value opValue : ops.elements()) {
      if (!(opValue instanceof ObjectValue op)) {
        throw BuiltinException.error(
            B, "must be an array of JSON-Patch objects, but at least one element is not an object");
      }
      String name = attr(op, "op") instanceof StringValue s ? s.value() : null;
      if (name == null) {
        throw BuiltinException.error(B, "attribute 'op' must be a string");
      }
      List<Value> path = JsonPaths.parse(attr(op, "path"));
      if (path == null) {
        throw BuiltinException.error(B, "attribute 'path' must be a valid JSON-pointer or array");
      }
      try {
        cur =
            switch (name) {
              case "add" -> add(cur, path, 0, attr(op, "value"));
              case "remove" -> remove(cur, path, 0);
              case "replace" -> {
                Value v = attr(op, "value");
                yield path.isEmpty() ? v : add(remove(cur, path, 0), path, 0, v);
              }
              case "move" -> {
                List<Value> from = fromPath(op);
                Value v = get(cur, from);
                yield add(remove(cur, from, 0), path, 0, v);
              }
              case "copy" -> add(cur, path, 0, get(cur, fromPath(op)));
              case "test" -> {
                if (!get(cur, path).equals(attr(op, "value"))) {
                  throw new Failure();
                }
                yield cur;
              }
              default -> throw BuiltinException.error(B, "unrecognized op '" + name + "'");
            };
      } catch (Failure f) {
        return null;
      }
    }
    return cur;
  }

  private static Value attr(ObjectValue op, String name) {
    Value v = op.get(name);
    if (v == null) {
      throw BuiltinException.error(B, "missing '" + name + "' attribute");
    }
    return v;
  }

  private static List<Value> fromPath(ObjectValue op) {
    List<Value> from = JsonPaths.parse(attr(op, "from"));
    if (from == null) {
      throw BuiltinException.error(B, "attribute 'from' must be a valid JSON-pointer or array");
    }
    return from;
  }

  static Value get(Value doc, List<Value> path) throws Failure {
    Value cur = doc;
    for (Value seg : path) {
      cur = child(cur, seg);
    }
    return cur;
  }

  private static Value child(Value node, Value seg) throws Failure {
    switch (node) {
      case ObjectValue o -> {
        Value v = o.get(seg);
        if (v == null) {
          throw new Failure();
        }
        return v;
      }
      case ArrayValue a -> {
        int i = index(seg, a.size(), false);
        return a.get(i);
      }
      case SetValue s -> {
        if (!s.contains(seg)) {
          throw new Failure();
        }
        return seg;
      }
      default -> throw new Failure();
    }
  }

  /** An array index: a number, or a string of decimal digits; "-" means the end (for add). */
  private static int index(Value seg, int size, boolean forAdd) throws Failure {
    long i;
    if (seg instanceof NumberValue n && n.isInteger()) {
      i = n.bigInteger().longValue();
    } else if (seg instanceof StringValue s) {
      if (forAdd && s.value().equals("-")) {
        return size;
      }
      if (!s.value().matches("[0-9]+") || (s.value().length() > 1 && s.value().startsWith("0"))) {
        throw new Failure();
      }
      try {
        i = Long.parseLong(s.value());
      } catch (NumberFormatException e) {
        throw new Failure();
      }
    } else {
      throw new Failure();
    }
    if (i < 0 || i > (forAdd ? size : size - 1)) {
      throw new Failure();
    }
    return (int) i;
  }

  static Value add(Value node, List<Value> path, int at, Value value) throws Failure {
    if (at == path.size()) {
      return value;
    }
    Value seg = path.get(at);
    boolean last = at == path.size() - 1;
    switch (node) {
      case ObjectValue o -> {
        Map<Value, Value> m = new LinkedHashMap<>(o.entries());
        if (last) {
          m.put(seg, value);
        } else {
          Value c = o.get(seg);
          if (c == null) {
            throw new Failure();
          }
          m.put(seg, add(c, path, at + 1, value));
        }
        return ObjectValue.of(m);
      }
      case ArrayValue a -> {
        List<Value> l = new ArrayList<>(a.elements());
        if (last) {
          l.add(index(seg, a.size(), true), value);
        } else {
          int i = index(seg, a.size(), false);
          l.set(i, add(l.get(i), path, at + 1, value));
        }
        return ArrayValue.of(l);
      }
      case SetValue s -> {
        List<Value> l = new ArrayList<>(s.elements());
        if (last) {
          // A set member is its own key: the path must name the value being added.
          if (!seg.equals(value)) {
            throw new Failure();
          }
          l.add(value);
        } else {
          if (!s.contains(seg)) {
            throw new Failure();
          }
          l.remove(seg);
          l.add(add(seg, path, at + 1, value));
        }
        return SetValue.of(l);
      }
      default -> throw new Failure();
    }
  }

  static Value remove(Value node, List<Value> path, int at) throws Failure {
    if (at == path.size()) {
      throw new Failure();
    }
    Value seg = path.get(at);
    boolean last = at == path.size() - 1;
    switch (node) {
      case ObjectValue o -> {
        Value c = o.get(seg);
        if (c == null) {
          throw new Failure();
        }
        Map<Value, Value> m = new LinkedHashMap<>(o.entries());
        if (last) {
          m.remove(seg);
        } else {
          m.put(seg, remove(c, path, at + 1));
        }
        return ObjectValue.of(m);
      }
      case ArrayValue a -> {
        List<Value> l = new ArrayList<>(a.elements());
        int i = index(seg, a.size(), false);
        if (last) {
          l.remove(i);
        } else {
          l.set(i, remove(l.get(i), path, at + 1));
        }
        return ArrayValue.of(l);
      }
      case SetValue s -> {
        if (!s.contains(seg)) {
          throw new Failure();
        }
        List<Value> l = new ArrayList<>(s.elements());
        l.remove(seg);
        if (!last) {
          l.add(remove(seg, path, at + 1));
        }
        return SetValue.of(l);
      }
      default -> throw new Failure();
    }
  }
}
