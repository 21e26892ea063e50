package io.maestro.rego.builtins.text;

import io.maestro.rego.builtins.text.GoTemplate.Action;
import io.maestro.rego.builtins.text.GoTemplate.Arg;
import io.maestro.rego.builtins.text.GoTemplate.Break;
import io.maestro.rego.builtins.text.GoTemplate.Continue;
import io.maestro.rego.builtins.text.GoTemplate.Dot;
import io.maestro.rego.builtins.text.GoTemplate.Field;
import io.maestro.rego.builtins.text.GoTemplate.Ident;
import io.maestro.rego.builtins.text.GoTemplate.If;
import io.maestro.rego.builtins.text.GoTemplate.Literal;
import io.maestro.rego.builtins.text.GoTemplate.Node;
import io.maestro.rego.builtins.text.GoTemplate.Pipeline;
import io.maestro.rego.builtins.text.GoTemplate.Range;
import io.maestro.rego.builtins.text.GoTemplate.Sub;
import io.maestro.rego.builtins.text.GoTemplate.Text;
import io.maestro.rego.builtins.text.GoTemplate.Variable;
import io.maestro.rego.builtins.text.GoTemplate.With;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NullValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Executes a parsed template over Rego data the way Go's text/template executes over the JSON form
 * of that data. A key missing from an object renders as {@code <undefined>} (OPA's choice) rather
 * than failing the whole render.
 */
final class TemplateRunner {
  /** Marks a missing object key; renders as "&lt;undefined&gt;" and is false. */
  private static final Value MISSING = StringValue.of("<undefined>");

  private final Value root;
  private final List<String> varNames = new ArrayList<>();
  private final List<Value> varValues = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();

  TemplateRunner(ObjectValue root) {
    this.root = root;
    varNames.add("$");
    varValues.add(root);
  }

  String run(List<Node> nodes) {
    walk(nodes, root);
    return out.toString();
  }

  private enum Flow {
    NORMAL,
    BREAK,
    CONTINUE
  }

  private Flow walk(List<Node> nodes, Value dot) {
    int mark = varNames.size();
    try {
      for (Node n : nodes) {
        Flow f = node(n, dot);
        if (f != Flow.NORMAL) {
          return f;
        }
      }
      return Flow.NORMAL;
    } finally {
      truncateVars(mark);
    }
  }

  private void truncateVars(int mark) {
    while (varNames.size() > mark) {
      varNames.remove(varNames.size() - 1);
      varValues.remove(varValues.size() - 1);
    }
  }

  private Flow node(Node n, Value dot) {
    switch (n) {
      case Text t -> out.append(t.text());
      case Action a -> {
        Value v = pipeline(a.pipe(), dot);
        if (a.pipe().decl().isEmpty()) {
          out.append(print(v, true));
        }
      }
      case If i -> {
        int mark = varNames.size();
        Value v = pipeline(i.cond(), dot);
        Flow f = walk(truth(v) ? i.then() : i.otherwise(), dot);
        truncateVars(mark);
        return f;
      }
      case With w -> {
        int mark = varNames.size();
        Value v = pipeline(w.pipe(), dot);
        Flow f = truth(v) ? walk(w.body(), v) : walk(w.otherwise(), dot);
        truncateVars(mark);
        return f;
      }
      case Range r -> {
        return range(r, dot);
      }
      case Break b -> {
        return Flow.BREAK;
      }
      case Continue c -> {
        return Flow.CONTINUE;
      }
    }
    return Flow.NORMAL;
  }

  private Flow range(Range r, Value dot) {
    Pipeline p = r.pipe();
    Pipeline bare = new Pipeline(List.of(), false, p.commands());
    Value v = pipeline(bare, dot);
    List<Value[]> items = new ArrayList<>();
    switch (v) {
      case ArrayValue a -> {
        for (int i = 0; i < a.size(); i++) {
          items.add(new Value[] {NumberValue.of(i), a.get(i)});
        }
      }
      case SetValue s -> {
        int i = 0;
        for (Value e : s.elements()) {
          items.add(new Value[] {NumberValue.of(i++), e});
        }
      }
      case ObjectValue o -> {
        for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
          items.add(new Value[] {e.getKey(), e.getValue()});
        }
      }
      case NumberValue n when n.isInteger() -> {
        for (long i = 0; i < n.longValueExact(); i++) {
          items.add(new Value[] {NumberValue.of(i), NumberValue.of(i)});
        }
      }
      default -> {
        if (v != MISSING && !(v instanceof NullValue)) {
          throw GoTemplate.error("1: range can't iterate over " + print(v, false));
        }
      }
    }
    if (items.isEmpty()) {
      return walk(r.otherwise(), dot);
    }
    for (Value[] item : items) {
      int mark = varNames.size();
      if (p.decl().size() == 1) {
        declare(p.decl().get(0), item[1], p.assign());
      } else if (p.decl().size() >= 2) {
        declare(p.decl().get(0), item[0], p.assign());
        declare(p.decl().get(1), item[1], p.assign());
      }
      Flow f = walk(r.body(), item[1]);
      truncateVars(mark);
      if (f == Flow.BREAK) {
        break;
      }
    }
    return Flow.NORMAL;
  }

  private void declare(String name, Value v, boolean assign) {
    if (assign) {
      for (int i = varNames.size() - 1; i >= 0; i--) {
        if (varNames.get(i).equals(name)) {
          varValues.set(i, v);
          return;
        }
      }
      throw GoTemplate.error("1: undefined variable: " + name);
    }
    varNames.add(name);
    varValues.add(v);
  }

  private Value variable(String name) {
    for (int i = varNames.size() - 1; i >= 0; i--) {
      if (varNames.get(i).equals(name)) {
        return varValues.get(i);
      }
    }
    throw GoTemplate.error("1: undefined variable: " + name);
  }

  // ---- pipelines ----

  private Value pipeline(Pipeline p, Value dot) {
    Value v = null;
    boolean first = true;
    for (List<Arg> cmd : p.commands()) {
      v = command(cmd, dot, first ? null : v, !first);
      first = false;
    }
    for (String name : p.decl()) {
      declare(name, v, p.assign());
    }
    return v;
  }

  private Value command(List<Arg> cmd, Value dot, Value piped, boolean hasPiped) {
    Arg head = cmd.get(0);
    if (head instanceof Ident id) {
      List<Value> args = new ArrayList<>();
      if (id.name().equals("and") || id.name().equals("or")) {
        return andOr(id.name(), cmd, dot, piped, hasPiped);
      }
      for (int i = 1; i < cmd.size(); i++) {
        args.add(arg(cmd.get(i), dot));
      }
      if (hasPiped) {
        args.add(piped);
      }
      return TemplateFunctions.call(id.name(), args);
    }
    if (cmd.size() > 1 || hasPiped) {
      throw GoTemplate.error("1: can't give argument to non-function " + describe(head));
    }
    return arg(head, dot);
  }

  private Value andOr(String fn, List<Arg> cmd, Value dot, Value piped, boolean hasPiped) {
    int n = cmd.size() - 1 + (hasPiped ? 1 : 0);
    if (n < 1) {
      throw GoTemplate.error("1: wrong number of args for " + fn + ": want at least 1 got 0");
    }
    Value v = null;
    for (int i = 1; i <= n; i++) {
      v = i < cmd.size() ? arg(cmd.get(i), dot) : piped;
      boolean t = truth(v);
      if (fn.equals("and") ? !t : t) {
        return v;
      }
    }
    return v;
  }

  private Value arg(Arg a, Value dot) {
    return switch (a) {
      case Dot d -> dot;
      case Field f -> fields(arg(f.receiver(), dot), f.names());
      case Variable v -> fields(variable(v.name()), v.names());
      case Literal l -> literal(l.value());
      case Sub s -> {
        int mark = varNames.size();
        Value v = pipeline(s.pipe(), dot);
        truncateVars(mark);
        yield v;
      }
      case Ident id -> TemplateFunctions.call(id.name(), List.of());
    };
  }

  private static Value literal(Object o) {
    if (o == null) {
      return NullValue.INSTANCE;
    }
    return Value.fromJava(o);
  }

  private static Value fields(Value v, List<String> names) {
    for (String name : names) {
      if (v == MISSING) {
        return MISSING;
      }
      if (v instanceof ObjectValue o) {
        Value next = o.get(name);
        v = next == null ? MISSING : next;
      } else if (v instanceof NullValue) {
        throw GoTemplate.error("1: nil pointer evaluating interface {}." + name);
      } else {
        throw GoTemplate.error(
            "1: can't evaluate field " + name + " in type " + TemplateFunctions.goType(v));
      }
    }
    return v;
  }

  private static String describe(Arg a) {
    return switch (a) {
      case Field f -> "." + String.join(".", f.names());
      case Variable v -> v.name();
      case Literal l -> String.valueOf(l.value());
      default -> "value";
    };
  }

  // ---- Go semantics of values ----

  static boolean truth(Value v) {
    if (v == null || v == MISSING) {
      return false;
    }
    return switch (v) {
      case NullValue n -> false;
      case BooleanValue b -> b.value();
      case NumberValue n -> n.signum() != 0;
      case StringValue s -> !s.value().isEmpty();
      case ArrayValue a -> a.size() > 0;
      case ObjectValue o -> o.size() > 0;
      case SetValue s -> s.size() > 0;
    };
  }

  /** fmt.Sprint of the JSON form of a value; at top level nil prints as "&lt;no value&gt;". */
  static String print(Value v, boolean top) {
    if (v == null || v == MISSING) {
      return "<undefined>";
    }
    return switch (v) {
      case NullValue n -> top ? "<no value>" : "<nil>";
      case BooleanValue b -> Boolean.toString(b.value());
      case NumberValue n -> n.toString();
      case StringValue s -> s.value();
      case ArrayValue a -> seq(a.elements());
      case SetValue s -> seq(s.elements());
      case ObjectValue o -> {
        StringBuilder sb = new StringBuilder("map[");
        boolean first = true;
        for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
          if (!first) {
            sb.append(' ');
          }
          first = false;
          sb.append(print(e.getKey(), false)).append(':').append(print(e.getValue(), false));
        }
        yield sb.append(']').toString();
      }
    };
  }

  private static String seq(Iterable<Value> elems) {
    StringBuilder sb = new StringBuilder("[");
    boolean first = true;
    for (Value e : elems) {
      if (!first) {
        sb.append(' ');
      }
      first = false;
      sb.append(print(e, false));
    }
    return sb.append(']').toString();
  }

  static String queryEscape(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
  }
}
