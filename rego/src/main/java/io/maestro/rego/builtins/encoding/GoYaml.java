package io.maestro.rego.builtins.encoding;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.GoJson;
import io.maestro.rego.value.NullValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML as OPA reads and writes it (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1 scalars, except that
 * timestamps stay strings; non-string keys become their text; output in go-yaml's block style with
 * sorted keys and sequences not indented under their key.
 */
final class GoYaml {
  private static final Pattern PLAIN_UNSAFE_START = Pattern.compile("^[-?:,\\[\\]{}#&*!|>'\"%@`]");
  private static final Pattern NON_STRING =
      Pattern.compile(
          "^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
              + "|on|On|ON|off|Off|OFF|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+"
              + "|[-+]?0b[01_]+|[-+]?(?:\\.[0-9]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
              + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?"
              + "|<<)$");

  private GoYaml() {}

  private static Yaml loader() {
    LoaderOptions opts = new LoaderOptions();
    opts.setMaxAliasesForCollections(1000);
    // go-yaml v2 hands timestamps to interface{} targets as strings, so no timestamp resolver.
    Resolver resolver =
        new Resolver() {
          @Override
          protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
          }
        };
    return new Yaml(
        new SafeConstructor(opts),
        new org.yaml.snakeyaml.representer.Representer(new org.yaml.snakeyaml.DumperOptions()),
        new org.yaml.snakeyaml.DumperOptions(),
        opts,
        resolver);
  }

  /** yaml.unmarshal: the first document as a value. */
  static Value unmarshal(String builtin, String text) {
    Object doc;
    try {
      Iterator<Object> docs = loader().loadAll(text).iterator();
      doc = docs.hasNext() ? docs.next() : null;
    } catch (MarkedYAMLException e) {
      throw BuiltinException.error(builtin, message(e));
    } catch (YAMLException e) {
      throw BuiltinException.error(builtin, "yaml: " + e.getMessage());
    }
    return convert(builtin, doc);
  }

  static boolean isValid(String text) {
    try {
      Iterator<Object> docs = loader().loadAll(text).iterator();
      if (docs.hasNext()) {
        docs.next();
      }
      return true;
    } catch (YAMLException e) {
      return false;
    }
  }

  /** go-yaml words its errors as "yaml: line N: did not find expected ..." . */
  private static String message(MarkedYAMLException e) {
    String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
    int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
    if (problem.startsWith("expected ")) {
      int cut = problem.indexOf(", but ");
      problem = "did not find " + (cut > 0 ? problem.substring(0, cut) : problem);
    }
    return "yaml: line " + line + ": " + problem;
  }

  private static Value convert(String builtin, Object o) {
    if (o == null) {
      return NullValue.INSTANCE;
    }
    return switch (o) {
      case Boolean b -> BooleanValue.of(b);
      case Integer i -> NumberValue.of(i.longValue());
      case Long l -> NumberValue.of(l);
      case BigInteger b -> NumberValue.of(b);
      case Double d -> {
        if (d.isNaN() || d.isInfinite()) {
          throw BuiltinException.error(
              builtin, "json: unsupported value: " + (d.isNaN() ? "NaN" : d > 0 ? "+Inf" : "-Inf"));
        }
        yield NumberValue.of(d);
      }
      case Number n -> NumberValue.of(n.doubleValue());
      case String s -> StringValue.of(s);
      case Date d -> StringValue.of(d.toInstant().toString());
      case byte[] b -> StringValue.of(new String(b, java.nio.charset.StandardCharsets.UTF_8));
      case List<?> l -> {
        List<Value> out = new ArrayList<>(l.size());
        for (Object e : l) {
          out.add(convert(builtin, e));
        }
        yield ArrayValue.of(out);
      }
      case java.util.Set<?> set -> {
        Map<Value, Value> out = new HashMap<>();
        for (Object e : set) {
          out.put(StringValue.of(keyText(e)), NullValue.INSTANCE);
        }
        yield ObjectValue.of(out);
      }
      case Map<?, ?> m -> {
        Map<Value, Value> out = new HashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          out.put(StringValue.of(keyText(e.getKey())), convert(builtin, e.getValue()));
        }
        yield ObjectValue.of(out);
      }
      default -> StringValue.of(o.toString());
    };
  }

  private static String keyText(Object k) {
    if (k == null) {
      return "null";
    }
    if (k instanceof Double d) {
      return NumberValue.of(d).toString();
    }
    return k.toString();
  }

  // ---- writing ----

  /** yaml.marshal in go-yaml v2's block style. */
  static String marshal(Value v) {
    StringBuilder sb = new StringBuilder();
    if (isScalar(v)) {
      sb.append(scalar(v, 0)).append('\n');
    } else if (isEmpty(v)) {
      sb.append(v instanceof ObjectValue ? "{}" : "[]").append('\n');
    } else {
      block(v, sb, 0);
    }
    return sb.toString();
  }

  private static boolean isScalar(Value v) {
    return !(v instanceof ArrayValue || v instanceof SetValue || v instanceof ObjectValue);
  }

  private static boolean isEmpty(Value v) {
    return switch (v) {
      case ArrayValue a -> a.size() == 0;
      case SetValue s -> s.size() == 0;
      case ObjectValue o -> o.size() == 0;
      default -> false;
    };
  }

  private static List<Value> elements(Value v) {
    return v instanceof ArrayValue a ? a.elements() : new ArrayList<>(((SetValue) v).elements());
  }

  /** Writes a non-empty collection starting at the current line, indented by {@code indent}. */
  private static void block(Value v, StringBuilder sb, int indent) {
    String pad = " ".repeat(indent);
    if (v instanceof ObjectValue o) {
      TreeMap<String, Value> sorted = new TreeMap<>(StringValue::compareCodePoints);
      for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
        sorted.put(GoJson.keyString(e.getKey()), e.getValue());
      }
      boolean first = true;
      for (Map.Entry<String, Value> e : sorted.entrySet()) {
        if (!first) {
          sb.append(pad);
        }
        first = false;
        sb.append(scalar(StringValue.of(e.getKey()), indent)).append(':');
        Value child = e.getValue();
        if (isScalar(child) || isEmpty(child)) {
          sb.append(' ').append(isEmpty(child) ? emptyText(child) : scalar(child, indent + 2));
          sb.append('\n');
        } else if (child instanceof ObjectValue) {
          sb.append('\n').append(" ".repeat(indent + 2));
          block(child, sb, indent + 2);
        } else {
          // go-yaml v2 does not indent a sequence under its mapping key
          sb.append('\n').append(pad);
          block(child, sb, indent);
        }
      }
      return;
    }
    boolean first = true;
    for (Value e : elements(v)) {
      if (!first) {
        sb.append(pad);
      }
      first = false;
      sb.append("- ");
      if (isScalar(e) || isEmpty(e)) {
        sb.append(isEmpty(e) ? emptyText(e) : scalar(e, indent + 2)).append('\n');
      } else {
        block(e, sb, indent + 2);
      }
    }
  }

  private static String emptyText(Value v) {
    return v instanceof ObjectValue ? "{}" : "[]";
  }

  private static String scalar(Value v, int indent) {
    return switch (v) {
      case NullValue n -> "null";
      case BooleanValue b -> Boolean.toString(b.value());
      case NumberValue n -> n.toString();
      case StringValue s -> string(s.value(), indent);
      default -> throw new IllegalStateException("not a scalar");
    };
  }

  private static String string(String s, int indent) {
    if (s.contains("\n")) {
      StringBuilder sb = new StringBuilder(s.endsWith("\n") ? "|" : "|-");
      String pad = " ".repeat(indent + 2);
      String body = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
      for (String line : body.split("\n", -1)) {
        sb.append('\n');
        if (!line.isEmpty()) {
          sb.append(pad).append(line);
        }
      }
      return sb.toString();
    }
    if (s.isEmpty() || NON_STRING.matcher(s).matches()) {
      return doubleQuoted(s);
    }
    boolean plain =
        !PLAIN_UNSAFE_START.matcher(s).find()
            && !Character.isWhitespace(s.charAt(0))
            && !Character.isWhitespace(s.charAt(s.length() - 1))
            && !s.contains(": ")
            && !s.contains(" #")
            && !s.endsWith(":")
            && s.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
    if (plain) {
      return s;
    }
    if (s.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
      return "'" + s.replace("'", "''") + "'";
    }
    return doubleQuoted(s);
  }

  private static String doubleQuoted(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02X", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
