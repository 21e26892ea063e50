package io.maestro.rego.builtins.text;

import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NullValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The predefined functions of Go's text/template (len, index, print*, comparisons, escapers). */
final class TemplateFunctions {
  private TemplateFunctions() {}

  static Value call(String name, List<Value> args) {
    return switch (name) {
      case "not" -> {
        arity(name, args, 1);
        yield BooleanValue.of(!TemplateRunner.truth(args.get(0)));
      }
      case "len" -> {
        arity(name, args, 1);
        yield NumberValue.of(length(args.get(0)));
      }
      case "index" -> index(args);
      case "print" -> StringValue.of(sprint(args));
      case "println" -> {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
          if (i > 0) {
            sb.append(' ');
          }
          sb.append(TemplateRunner.print(args.get(i), false));
        }
        yield StringValue.of(sb.append('\n').toString());
      }
      case "printf" -> {
        if (args.isEmpty() || !(args.get(0) instanceof StringValue f)) {
          throw GoTemplate.error("1: wrong type for value; expected string");
        }
        List<Object> goArgs = new ArrayList<>();
        for (Value v : args.subList(1, args.size())) {
          goArgs.add(TextBuiltins.goArg(v));
        }
        yield StringValue.of(GoFmt.sprintf(f.value(), goArgs));
      }
      case "eq" -> {
        if (args.size() < 2) {
          throw GoTemplate.error("1: missing argument for comparison");
        }
        boolean any = false;
        for (Value v : args.subList(1, args.size())) {
          any |= compare(args.get(0), v) == 0;
        }
        yield BooleanValue.of(any);
      }
      case "ne" -> {
        arity(name, args, 2);
        yield BooleanValue.of(compare(args.get(0), args.get(1)) != 0);
      }
      case "lt" -> cmp(name, args, c -> c < 0);
      case "le" -> cmp(name, args, c -> c <= 0);
      case "gt" -> cmp(name, args, c -> c > 0);
      case "ge" -> cmp(name, args, c -> c >= 0);
      case "html" -> StringValue.of(html(sprint(args)));
      case "js" -> StringValue.of(js(sprint(args)));
      case "urlquery" -> StringValue.of(TemplateRunner.queryEscape(sprint(args)));
      default -> throw GoTemplate.error("1: function \"" + name + "\" not defined");
    };
  }

  private static void arity(String name, List<Value> args, int n) {
    if (args.size() != n) {
      throw GoTemplate.error(
          "1: wrong number of args for " + name + ": want " + n + " got " + args.size());
    }
  }

  private static Value cmp(String name, List<Value> args, java.util.function.IntPredicate p) {
    arity(name, args, 2);
    return BooleanValue.of(p.test(compare(args.get(0), args.get(1))));
  }

  private static int compare(Value a, Value b) {
    if (a instanceof NumberValue x && b instanceof NumberValue y) {
      return x.compareTo(y);
    }
    if (a instanceof StringValue x && b instanceof StringValue y) {
      return x.compareTo(y);
    }
    if (a instanceof BooleanValue x && b instanceof BooleanValue y) {
      return x.equals(y) ? 0 : 1;
    }
    if (a instanceof NullValue && b instanceof NullValue) {
      return 0;
    }
    throw GoTemplate.error("1: incompatible types for comparison");
  }

  private static long length(Value v) {
    return switch (v) {
      case StringValue s -> s.value().getBytes(StandardCharsets.UTF_8).length;
      case ArrayValue a -> a.size();
      case ObjectValue o -> o.size();
      case SetValue s -> s.size();
      default -> throw GoTemplate.error("1: len of type " + goType(v));
    };
  }

  private static Value index(List<Value> args) {
    if (args.isEmpty()) {
      throw GoTemplate.error("1: wrong number of args for index: want at least 1 got 0");
    }
    Value v = args.get(0);
    for (Value key : args.subList(1, args.size())) {
      if (v instanceof ObjectValue o) {
        Value next = o.get(key);
        v = next == null ? NullValue.INSTANCE : next;
      } else if (v instanceof ArrayValue a && key instanceof NumberValue n && n.isInteger()) {
        long i = n.longValueExact();
        if (i < 0 || i >= a.size()) {
          throw GoTemplate.error("1: error calling index: index out of range: " + i);
        }
        v = a.get((int) i);
      } else {
        throw GoTemplate.error("1: error calling index: cannot index slice/array with type");
      }
    }
    return v;
  }

  /** fmt.Sprint: a space goes between operands when neither side is a string. */
  private static String sprint(List<Value> args) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      Value v = args.get(i);
      if (i > 0 && !(v instanceof StringValue) && !(args.get(i - 1) instanceof StringValue)) {
        sb.append(' ');
      }
      sb.append(TemplateRunner.print(v, false));
    }
    return sb.toString();
  }

  static String goType(Value v) {
    return switch (v) {
      case StringValue s -> "string";
      case NumberValue n -> "json.Number";
      case BooleanValue b -> "bool";
      case ArrayValue a -> "[]interface {}";
      case SetValue s -> "[]interface {}";
      case ObjectValue o -> "map[string]interface {}";
      case NullValue n -> "interface {}";
    };
  }

  private static String html(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '\'' -> sb.append("&#39;");
        case '"' -> sb.append("&#34;");
        case 0 -> sb.append('\uFFFD');
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String js(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        case '"' -> sb.append("\\\"");
        case '<' -> sb.append("\\u003C");
        case '>' -> sb.append("\\u003E");
        case '&' -> sb.append("\\u0026");
        case '=' -> sb.append("\\u003D");
        case '`' -> sb.append("\\u0060");
        default -> {
          if (c < ' ') {
            sb.append(String.format("\\u%04X", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
