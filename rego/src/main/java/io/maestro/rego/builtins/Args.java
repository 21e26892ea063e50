package io.maestro.rego.builtins;

import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;

/** Operand accessors that throw OPA's type errors (operands are numbered from 1 in messages). */
public final class Args {
  private Args() {}

  /** The i-th operand (0-based) as a string. */
  public static String string(String builtin, List<Value> args, int i) {
    if (args.get(i) instanceof StringValue s) {
      return s.value();
    }
    throw BuiltinException.typeError(builtin, i + 1, "string", args.get(i));
  }

  public static NumberValue number(String builtin, List<Value> args, int i) {
    if (args.get(i) instanceof NumberValue n) {
      return n;
    }
    throw BuiltinException.typeError(builtin, i + 1, "number", args.get(i));
  }

  /** An integer operand; a non-integral number is an error ("operand n must be integer"). */
  public static BigInteger integer(String builtin, List<Value> args, int i) {
    NumberValue n = number(builtin, args, i);
    if (!n.isInteger()) {
      throw BuiltinException.typeError(
          builtin, "operand " + (i + 1) + " must be integer number but got floating-point number");
    }
    return n.bigInteger();
  }

  public static ArrayValue array(String builtin, List<Value> args, int i) {
    if (args.get(i) instanceof ArrayValue a) {
      return a;
    }
    throw BuiltinException.typeError(builtin, i + 1, "array", args.get(i));
  }

  public static SetValue set(String builtin, List<Value> args, int i) {
    if (args.get(i) instanceof SetValue s) {
      return s;
    }
    throw BuiltinException.typeError(builtin, i + 1, "set", args.get(i));
  }

  public static ObjectValue object(String builtin, List<Value> args, int i) {
    if (args.get(i) instanceof ObjectValue o) {
      return o;
    }
    throw BuiltinException.typeError(builtin, i + 1, "object", args.get(i));
  }

  public static boolean bool(String builtin, List<Value> args, int i) {
    if (args.get(i) instanceof BooleanValue b) {
      return b.value();
    }
    throw BuiltinException.typeError(builtin, i + 1, "boolean", args.get(i));
  }

  /** An array or set operand, as a collection (sets in sorted order). */
  public static Collection<Value> collection(String builtin, List<Value> args, int i) {
    Value v = args.get(i);
    if (v instanceof ArrayValue a) {
      return a.elements();
    }
    if (v instanceof SetValue s) {
      return s.elements();
    }
    throw BuiltinException.typeError(builtin, i + 1, "any of {array, set}", v);
  }
}
