package io.maestro.rego.builtins.core;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Comparison, arithmetic (exact), rounding, ranges, bits and rand.intn. */
final class Numbers {
  private Numbers() {}

  private static final MathContext DIV = MathContext.DECIMAL128;

  static void register(BuiltinRegistry r) {
    r.register(
        "equal",
        "(any, any) => boolean | infix ==",
        (c, a) -> BooleanValue.of(a.get(0).equals(a.get(1))));
    r.register(
        "neq",
        "(any, any) => boolean | infix !=",
        (c, a) -> BooleanValue.of(!a.get(0).equals(a.get(1))));
    r.register(
        "lt",
        "(any, any) => boolean | infix <",
        (c, a) -> BooleanValue.of(a.get(0).compareTo(a.get(1)) < 0));
    r.register(
        "gt",
        "(any, any) => boolean | infix >",
        (c, a) -> BooleanValue.of(a.get(0).compareTo(a.get(1)) > 0));
    r.register(
        "lte",
        "(any, any) => boolean | infix <=",
        (c, a) -> BooleanValue.of(a.get(0).compareTo(a.get(1)) <= 0));
    r.register(
        "gte",
        "(any, any) => boolean | infix >=",
        (c, a) -> BooleanValue.of(a.get(0).compareTo(a.get(1)) >= 0));
    r.register(
        "plus",
        "(number, number) => number | infix +",
        (c, a) -> plus(num("plus", a, 0), num("plus", a, 1)));
    r.register(
        "minus",
        "(any<number, set[any]>, any<number, set[any]>) => any<number, set[any]> | infix -",
        Numbers::minus);
    r.register(
        "mul",
        "(number, number) => number | infix *",
        (c, a) -> mul(num("mul", a, 0), num("mul", a, 1)));
    r.register(
        "div",
        "(number, number) => number | infix /",
        (c, a) -> div(num("div", a, 0), num("div", a, 1)));
    r.register(
        "rem",
        "(number, number) => number | infix %",
        (c, a) -> rem(num("rem", a, 0), num("rem", a, 1)));
    r.register("abs", "(number) => number", (c, a) -> abs(num("abs", a, 0)));
    r.register(
        "round", "(number) => number", (c, a) -> round(num("round", a, 0), RoundingMode.HALF_UP));
    r.register(
        "ceil", "(number) => number", (c, a) -> round(num("ceil", a, 0), RoundingMode.CEILING));
    r.register(
        "floor", "(number) => number", (c, a) -> round(num("floor", a, 0), RoundingMode.FLOOR));
    r.register(
        "numbers.range",
        "(number, number) => array[number]",
        (c, a) -> range("numbers.range", a, BigInteger.ONE));
    r.register(
        "numbers.range_step", "(number, number, number) => array[number]", Numbers::rangeStep);
    r.register("rand.intn", "(string, number) => number | nondeterministic", Numbers::randIntn);
    r.register(
        "bits.or",
        "(number, number) => number",
        (c, a) -> NumberValue.of(integer("bits.or", a, 0).or(integer("bits.or", a, 1))));
    r.register(
        "bits.and",
        "(number, number) => number",
        (c, a) -> NumberValue.of(integer("bits.and", a, 0).and(integer("bits.and", a, 1))));
    r.register(
        "bits.xor",
        "(number, number) => number",
        (c, a) -> NumberValue.of(integer("bits.xor", a, 0).xor(integer("bits.xor", a, 1))));
    r.register(
        "bits.negate",
        "(number) => number",
        (c, a) -> NumberValue.of(integer("bits.negate", a, 0).not()));
    r.register(
        "bits.lsh",
        "(number, number) => number",
        (c, a) -> NumberValue.of(integer("bits.lsh", a, 0).shiftLeft(shift("bits.lsh", a))));
    r.register(
        "bits.rsh",
        "(number, number) => number",
        (c, a) -> NumberValue.of(integer("bits.rsh", a, 0).shiftRight(shift("bits.rsh", a))));
  }

  static NumberValue num(String fn, List<Value> a, int i) {
    return Args.number(fn, a, i);
  }

  static BigInteger integer(String fn, List<Value> a, int i) {
    NumberValue n = Args.number(fn, a, i);
    if (!n.isInteger()) {
      throw BuiltinException.typeError(
          fn, "operand " + (i + 1) + " must be integer number but got floating-point number");
    }
    return n.bigInteger();
  }

  private static int shift(String fn, List<Value> a) {
    BigInteger s = integer(fn, a, 1);
    if (s.signum() < 0) {
      throw BuiltinException.typeError(
          fn, "operand 2 must be an unsigned integer number but got a negative integer");
    }
    return s.intValueExact();
  }

  static NumberValue plus(NumberValue x, NumberValue y) {
    if (x.isLong() && y.isLong()) {
      long a = x.longValueExact();
      long b = y.longValueExact();
      long r = a + b;
      if (((a ^ r) & (b ^ r)) >= 0) {
        return NumberValue.of(r);
      }
    }
    return NumberValue.of(x.decimal().add(y.decimal()));
  }

  private static Value minus(io.maestro.rego.builtins.BuiltinContext c, List<Value> a) {
    if (a.get(0) instanceof SetValue s1) {
      SetValue s2 = Args.set("minus", a, 1);
      HashSet<Value> out = new HashSet<>(s1.unordered());
      out.removeAll(s2.unordered());
      return SetValue.wrap(out);
    }
    if (!(a.get(0) instanceof NumberValue x)) {
      throw BuiltinException.typeError("minus", 1, "any of {number, set}", a.get(0));
    }
    NumberValue y = num("minus", a, 1);
    if (x.isLong() && y.isLong()) {
      long p = x.longValueExact();
      long q = y.longValueExact();
      long r = p - q;
      if (((p ^ q) & (p ^ r)) >= 0) {
        return NumberValue.of(r);
      }
    }
    return NumberValue.of(x.decimal().subtract(y.decimal()));
  }

  static NumberValue mul(NumberValue x, NumberValue y) {
    if (x.isLong() && y.isLong()) {
      long a = x.longValueExact();
      long b = y.longValueExact();
      long hi = Math.multiplyHigh(a, b);
      long lo = a * b;
      if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
        return NumberValue.of(lo);
      }
    }
    return NumberValue.of(x.decimal().multiply(y.decimal()));
  }

  static NumberValue div(NumberValue x, NumberValue y) {
    if (y.signum() == 0) {
      throw BuiltinException.error("div", "divide by zero");
    }
    BigDecimal q;
    try {
      q = x.decimal().divide(y.decimal());
    } catch (ArithmeticException e) {
      q = x.decimal().divide(y.decimal(), DIV);
    }
    return NumberValue.of(q.stripTrailingZeros());
  }

  static NumberValue rem(NumberValue x, NumberValue y) {
    if (!x.isInteger() || !y.isInteger()) {
      if (x.decimal().stripTrailingZeros().scale() > 0
          || y.decimal().stripTrailingZeros().scale() > 0) {
        throw BuiltinException.error("rem", "modulo on floating-point number");
      }
    }
    BigInteger b = y.decimal().toBigIntegerExact();
    if (b.signum() == 0) {
      throw BuiltinException.error("rem", "modulo by zero");
    }
    return NumberValue.of(x.decimal().toBigIntegerExact().remainder(b));
  }

  private static NumberValue abs(NumberValue n) {
    if (n.isLong() && n.longValueExact() != Long.MIN_VALUE) {
      return NumberValue.of(Math.abs(n.longValueExact()));
    }
    return NumberValue.of(n.decimal().abs());
  }

  private static NumberValue round(NumberValue n, RoundingMode mode) {
    if (n.isInteger()) {
      return n;
    }
    return NumberValue.of(n.decimal().setScale(0, mode));
  }

  private static Value range(String fn, List<Value> a, BigInteger step) {
    BigInteger from = integer(fn, a, 0);
    BigInteger to = integer(fn, a, 1);
    List<Value> out = new ArrayList<>();
    if (from.compareTo(to) <= 0) {
      for (BigInteger i = from; i.compareTo(to) <= 0; i = i.add(step)) {
        out.add(NumberValue.of(i));
      }
    } else {
      for (BigInteger i = from; i.compareTo(to) >= 0; i = i.subtract(step)) {
        out.add(NumberValue.of(i));
      }
    }
    return ArrayValue.of(out);
  }

  private static Value rangeStep(io.maestro.rego.builtins.BuiltinContext c, List<Value> a) {
    NumberValue s = num("numbers.range_step", a, 2);
    if (!s.isInteger() || s.signum() <= 0) {
      throw BuiltinException.error("numbers.range_step", "step must be a positive integer");
    }
    return range("numbers.range_step", a, s.bigInteger());
  }

  private static Value randIntn(io.maestro.rego.builtins.BuiltinContext c, List<Value> a) {
    String key = Args.string("rand.intn", a, 0);
    BigInteger n = integer("rand.intn", a, 1);
    if (n.signum() == 0) {
      return NumberValue.ZERO;
    }
    List<Object> cacheKey = List.of("rand.intn", key, n);
    Object cached = c.cache().get(cacheKey);
    if (cached instanceof Value v) {
      return v;
    }
    long bound = n.abs().min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    Value v = NumberValue.of(c.random().nextLong(bound));
    c.cache().put(cacheKey, v);
    return v;
  }
}
