package io.maestro.rego.builtins.core;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NullValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigDecimal;
import java.util.List;

/** Type checks, type_name, to_number, trace and opa.runtime. */
final class Types {
  private Types() {}

  static void register(BuiltinRegistry r) {
    r.register(
        "is_number",
        "(any) => boolean",
        (c, a) -> BooleanValue.of(a.get(0) instanceof NumberValue));
    r.register(
        "is_string",
        "(any) => boolean",
        (c, a) -> BooleanValue.of(a.get(0) instanceof StringValue));
    r.register(
        "is_boolean",
        "(any) => boolean",
        (c, a) -> BooleanValue.of(a.get(0) instanceof BooleanValue));
    r.register(
        "is_array", "(any) => boolean", (c, a) -> BooleanValue.of(a.get(0) instanceof ArrayValue));
    r.register(
        "is_set", "(any) => boolean", (c, a) -> BooleanValue.of(a.get(0) instanceof SetValue));
    r.register(
        "is_object",
        "(any) => boolean",
        (c, a) -> BooleanValue.of(a.get(0) instanceof ObjectValue));
    r.register(
        "is_null", "(any) => boolean", (c, a) -> BooleanValue.of(a.get(0) instanceof NullValue));
    r.register("type_name", "(any) => string", (c, a) -> StringValue.of(a.get(0).typeName()));
    r.register("to_number", "(any<null, boolean, number, string>) => number", Types::toNumber);
    r.register("trace", "(string) => boolean", Types::trace);
    r.register("internal.const", "(any) => any", (c, a) -> a.get(0));
    r.register(
        "opa.runtime", "() => object[string: any] | nondeterministic", (c, a) -> ObjectValue.EMPTY);
  }

  private static Value toNumber(BuiltinContext c, List<Value> a) {
    Value v = a.get(0);
    return switch (v) {
      case NullValue n -> NumberValue.ZERO;
      case BooleanValue b -> b.value() ? NumberValue.ONE : NumberValue.ZERO;
      case NumberValue n -> n;
      case StringValue s -> parse(s.value());
      default ->
          throw BuiltinException.typeError(
              "to_number", 1, "one of {boolean, null, number, string}", v);
    };
  }

  private static Value parse(String s) {
    String lower = s.toLowerCase(java.util.Locale.ROOT).replaceFirst("^[+-]", "");
    if (lower.equals("inf") || lower.equals("infinity") || lower.equals("nan")) {
      throw BuiltinException.typeError(
          "to_number", "operand 1 must be a finite number but got " + s);
    }
    String t = s;
    if (t.startsWith("+")) {
      t = t.substring(1);
    }
    try {
      if (t.isEmpty() || !t.matches("-?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
        throw new NumberFormatException();
      }
      return NumberValue.of(new BigDecimal(t));
    } catch (NumberFormatException e) {
      throw BuiltinException.error(
          "to_number", "strconv.ParseFloat: parsing \"" + s + "\": invalid syntax");
    }
  }

  private static Value trace(BuiltinContext c, List<Value> a) {
    String msg = Args.string("trace", a, 0);
    c.print("trace: " + msg);
    return BooleanValue.TRUE;
  }
}
