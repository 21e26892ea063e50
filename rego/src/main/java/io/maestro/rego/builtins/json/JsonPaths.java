package io.maestro.rego.builtins.json;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paths for {@code json.filter}, {@code json.remove} and {@code json.patch}: either a
 * slash-separated string (JSON-pointer escapes {@code ~0}, {@code ~1}) or an array of segments.
 */
final class JsonPaths {
  private JsonPaths() {}

  /** Parses one path; returns null when the path has an unsupported type. */
  static List<Value> parse(Value path) {
    if (path instanceof StringValue s) {
      if (s.value().isEmpty()) {
        return List.of();
      }
      String trimmed = s.value().replaceFirst("^/+", "");
      List<Value> out = new ArrayList<>();
      for (String part : trimmed.split("/", -1)) {
        out.add(StringValue.of(part.replace("~1", "/").replace("~0", "~")));
      }
      return out;
    }
    if (path instanceof ArrayValue a) {
      return a.elements();
    }
    return null;
  }

  /** A tree of path segments; a terminal node covers everything below it. */
  static final class Tree {
    final Map<Value, Tree> children = new LinkedHashMap<>();
    boolean terminal;

    static Tree of(String builtin, Value paths) {
      Collection<Value> items;
      if (paths instanceof ArrayValue a) {
        items = a.elements();
      } else if (paths instanceof SetValue s) {
        items = s.elements();
      } else {
        throw BuiltinException.typeError(builtin, 2, "one of {set, array}", paths);
      }
      Tree root = new Tree();
      for (Value p : items) {
        List<Value> segs = parse(p);
        if (segs == null) {
          throw BuiltinException.typeError(
              builtin,
              "operand 2 must be one of {set, array} containing string paths or array of path"
                  + " segments but got "
                  + p.typeName());
        }
        Tree node = root;
        for (Value seg : segs) {
          if (node.terminal) {
            break;
          }
          node = node.children.computeIfAbsent(seg, k -> new Tree());
        }
        node.terminal = true;
        node.children.clear();
      }
      return root;
    }

    /** The child for an object key, set element, or array index (as string or number). */
    Tree child(Value key) {
      return children.get(key);
    }

    Tree index(int i) {
      Tree t = children.get(StringValue.of(Integer.toString(i)));
      return t != null ? t : children.get(NumberValue.of(i));
    }
  }

  static Value filter(Value v, Tree t) {
    if (t.terminal) {
      return v;
    }
    switch (v) {
      case ObjectValue o -> {
        Map<Value, Value> out = new LinkedHashMap<>();
        for (Map.Entry<Value, Tree> e : t.children.entrySet()) {
          Value child = o.get(e.getKey());
          if (child != null) {
            out.put(e.getKey(), filter(child, e.getValue()));
          }
        }
        return ObjectValue.of(out);
      }
      case ArrayValue a -> {
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
          Tree c = t.index(i);
          if (c != null) {
            out.add(filter(a.get(i), c));
          }
        }
        return ArrayValue.of(out);
      }
      case SetValue s -> {
        List<Value> out = new ArrayList<>();
        for (Value e : s.elements()) {
          Tree c = t.child(e);
          if (c != null) {
            out.add(filter(e, c));
          }
        }
        return SetValue.of(out);
      }
      default -> {
        return v;
      }
    }
  }

  static Value remove(Value v, Tree t) {
    switch (v) {
      case ObjectValue o -> {
        Map<Value, Value> out = new LinkedHashMap<>();
        for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
          Tree c = t.child(e.getKey());
          if (c == null) {
            out.put(e.getKey(), e.getValue());
          } else if (!c.terminal) {
            out.put(e.getKey(), remove(e.getValue(), c));
          }
        }
        return ObjectValue.of(out);
      }
      case ArrayValue a -> {
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
          Tree c = t.index(i);
          if (c == null) {
            out.add(a.get(i));
          } else if (!c.terminal) {
            out.add(remove(a.get(i), c));
          }
        }
        return ArrayValue.of(out);
      }
      case SetValue s -> {
        List<Value> out = new ArrayList<>();
        for (Value e : s.elements()) {
          Tree c = t.child(e);
          if (c == null) {
            out.add(e);
          } else if (!c.terminal) {
            out.add(remove(e, c));
          }
        }
        return SetValue.of(out);
      }
      default -> {
        return v;
      }
    }
  }
}
