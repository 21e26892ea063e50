package io.maestro.rego.builtins.core;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.List;

/**
 * Builtins that are part of the language. They are registered (and so declared and reported as
 * capabilities) like any other, but most are evaluated by the engine itself: the parser reads
 * {@code eq(a, b)} and {@code assign(a, b)} as {@code a = b} and {@code a := b}; the evaluator runs
 * {@code print} (it sees undefined operands) and {@code walk} (a relation: many results); the
 * compiler turns {@code rego.metadata.*} into constants of the calling rule. The functions below
 * serve the calls that still reach them as plain builtins.
 */
final class Language {
  private Language() {}

  static void register(BuiltinRegistry r) {
    r.register("eq", "(any, any) => boolean | infix =", Language::equal);
    r.register("assign", "(any, any) => boolean | infix :=", Language::equal);
    r.register("print", "(any...)", Language::print);
    r.register("internal.print", "(array[set[any]])", Language::internalPrint);
    r.register("walk", "(any) => array<array[any], any> | relation", engine("walk"));
    r.register("rego.metadata.rule", "() => any", engine("rego.metadata.rule"));
    r.register("rego.metadata.chain", "() => array[any]", engine("rego.metadata.chain"));
    r.register("internal.template_string", "(array[any]) => string", Language::templateString);
    r.register("internal.test_case", "(array[any])", Language::testCase);
  }

  private static Value equal(BuiltinContext c, List<Value> a) {
    return a.get(0).equals(a.get(1)) ? BooleanValue.TRUE : null;
  }

  /** internal.print([{x}, {y}]): OPA's lowered print, each operand as the set of its values. */
  private static Value internalPrint(BuiltinContext c, List<Value> a) {
    ArrayValue parts = Args.array("internal.print", a, 0);
    return print(c, parts.elements().stream().map(p -> setOperand("internal.print", p)).toList());
  }

  private static Value print(BuiltinContext c, List<Value> operands) {
    StringBuilder sb = new StringBuilder();
    for (Value v : operands) {
      sb.append(sb.isEmpty() ? "" : " ").append(v == null ? "<undefined>" : text(v));
    }
    c.print(sb.toString());
    return BooleanValue.TRUE;
  }

  /**
   * internal.template_string(parts): OPA's lowered {@code $"…{x}…"}. A string part is literal text;
   * a set part holds the values of one embedded expression: none reads {@code <undefined>}, more
   * than one is an error.
   */
  private static Value templateString(BuiltinContext c, List<Value> a) {
    ArrayValue parts = Args.array("internal.template_string", a, 0);
    StringBuilder sb = new StringBuilder();
    for (Value p : parts.elements()) {
      if (p instanceof SetValue s) {
        if (s.size() > 1) {
          throw BuiltinException.error(
              "internal.template_string", "template expression must not produce multiple outputs");
        }
        sb.append(s.isEmpty() ? "<undefined>" : text(s.elements().iterator().next()));
      } else {
        sb.append(text(p));
      }
    }
    return StringValue.of(sb.toString());
  }

  /**
   * internal.test_case(parts): OPA's test runner uses it to name the sub-cases of a parameterised
   * test. This engine has no such report, so the call checks its operand and succeeds.
   */
  private static Value testCase(BuiltinContext c, List<Value> a) {
    Args.array("internal.test_case", a, 0);
    return BooleanValue.TRUE;
  }

  private static Value setOperand(String name, Value p) {
    if (!(p instanceof SetValue s)) {
      throw BuiltinException.typeError(name, 1, "array[set[any]]", p);
    }
    return s.isEmpty() ? null : s.elements().iterator().next();
  }

  private static String text(Value v) {
    return v instanceof StringValue s ? s.value() : v.toRego();
  }

  private static io.maestro.rego.builtins.Builtin engine(String name) {
    return (c, a) -> {
      throw BuiltinException.error(name, "is evaluated by the engine, not called");
    };
  }
}
