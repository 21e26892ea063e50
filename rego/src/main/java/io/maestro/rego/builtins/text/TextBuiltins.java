package io.maestro.rego.builtins.text;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The string builtins: concat, contains, startswith, endswith, format_int, indexof, indexof_n,
 * lower, upper, replace, strings.replace_n, split, sprintf, substring, the trim family,
 * strings.reverse, strings.count, strings.any_prefix_match, strings.any_suffix_match and
 * strings.render_template. Indexes and lengths count Unicode code points, as OPA counts runes.
 */
public final class TextBuiltins implements BuiltinFamily {

  @Override
  public void register(BuiltinRegistry r) {
    r.register(
        "concat", "(string, any<array[string], set[string]>) => string", (ctx, a) -> concat(a));
    r.register(
        "contains",
        "(string, string) => boolean",
        (ctx, a) -> bool(Args.string("contains", a, 0).contains(Args.string("contains", a, 1))));
    r.register(
        "startswith",
        "(string, string) => boolean",
        (ctx, a) ->
            bool(Args.string("startswith", a, 0).startsWith(Args.string("startswith", a, 1))));
    r.register(
        "endswith",
        "(string, string) => boolean",
        (ctx, a) -> bool(Args.string("endswith", a, 0).endsWith(Args.string("endswith", a, 1))));
    r.register("lower", "(string) => string", (ctx, a) -> str(lower(Args.string("lower", a, 0))));
    r.register("upper", "(string) => string", (ctx, a) -> str(upper(Args.string("upper", a, 0))));
    r.register(
        "strings.count",
        "(string, string) => number",
        (ctx, a) ->
            NumberValue.of(
                count(Args.string("strings.count", a, 0), Args.string("strings.count", a, 1))));
    r.register("format_int", "(number, number) => string", (ctx, a) -> formatInt(a));
    r.register("indexof", "(string, string) => number", (ctx, a) -> indexOf(a));
    r.register("indexof_n", "(string, string) => array[number]", (ctx, a) -> indexOfN(a));
    r.register("substring", "(string, number, number) => string", (ctx, a) -> substring(a));
    r.register(
        "split",
        "(string, string) => array[string]",
        (ctx, a) -> split(Args.string("split", a, 0), Args.string("split", a, 1)));
    r.register(
        "strings.split_n", "(string, string, number) => array[string]", (ctx, a) -> splitN(a));
    r.register(
        "replace",
        "(string, string, string) => string",
        (ctx, a) ->
            str(
                GoStrings.replaceAll(
                    Args.string("replace", a, 0),
                    List.of(Args.string("replace", a, 1)),
                    List.of(Args.string("replace", a, 2)))));
    r.register(
        "strings.replace_n", "(object[string: string], string) => string", (ctx, a) -> replaceN(a));
    r.register(
        "trim",
        "(string, string) => string",
        (ctx, a) ->
            str(GoStrings.trim(Args.string("trim", a, 0), Args.string("trim", a, 1), true, true)));
    r.register(
        "trim_left",
        "(string, string) => string",
        (ctx, a) ->
            str(
                GoStrings.trim(
                    Args.string("trim_left", a, 0), Args.string("trim_left", a, 1), true, false)));
    r.register(
        "trim_right",
        "(string, string) => string",
        (ctx, a) ->
            str(
                GoStrings.trim(
                    Args.string("trim_right", a, 0),
                    Args.string("trim_right", a, 1),
                    false,
                    true)));
    r.register(
        "trim_prefix",
        "(string, string) => string",
        (ctx, a) -> {
          String s = Args.string("trim_prefix", a, 0);
          String p = Args.string("trim_prefix", a, 1);
          return str(s.startsWith(p) ? s.substring(p.length()) : s);
        });
    r.register(
        "trim_suffix",
        "(string, string) => string",
        (ctx, a) -> {
          String s = Args.string("trim_suffix", a, 0);
          String p = Args.string("trim_suffix", a, 1);
          return str(s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s);
        });
    r.register(
        "trim_space",
        "(string) => string",
        (ctx, a) -> str(GoStrings.trimSpace(Args.string("trim_space", a, 0))));
    r.register(
        "strings.reverse",
        "(string) => string",
        (ctx, a) ->
            str(new StringBuilder(Args.string("strings.reverse", a, 0)).reverse().toString()));
    r.register(
        "strings.any_prefix_match",
        "(any<string, array[string], set[string]>, any<string, array[string], set[string]>) => boolean",
        (ctx, a) -> anyMatch("strings.any_prefix_match", a, true));
    r.register(
        "strings.any_suffix_match",
        "(any<string, array[string], set[string]>, any<string, array[string], set[string]>) => boolean",
        (ctx, a) -> anyMatch("strings.any_suffix_match", a, false));
    r.register("sprintf", "(string, array[any]) => string", (ctx, a) -> sprintf(a));
    r.register(
        "strings.render_template",
        "(string, object[string: any]) => string",
        (ctx, a) ->
            str(
                GoTemplate.render(
                    Args.string("strings.render_template", a, 0),
                    Args.object("strings.render_template", a, 1))));
  }

  private static Value bool(boolean b) {
    return BooleanValue.of(b);
  }

  private static Value str(String s) {
    return StringValue.of(s);
  }

  // Go's strings.ToLower/ToUpper map rune by rune without locale rules.
  static String lower(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> sb.appendCodePoint(Character.toLowerCase(cp)));
    return sb.toString();
  }

  static String upper(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> sb.appendCodePoint(Character.toUpperCase(cp)));
    return sb.toString();
  }

  /** Go's strings.Count: non-overlapping occurrences; an empty needle counts runes + 1. */
  static int count(String s, String sub) {
    if (sub.isEmpty()) {
      return s.codePointCount(0, s.length()) + 1;
    }
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
      n++;
    }
    return n;
  }

  private static Value concat(List<Value> a) {
    String sep = Args.string("concat", a, 0);
    Value coll = a.get(1);
    Collection<Value> elems;
    if (coll instanceof ArrayValue arr) {
      elems = arr.elements();
    } else if (coll instanceof SetValue set) {
      elems = set.elements();
    } else {
      throw BuiltinException.typeError("concat", 2, "one of {set, array}", coll);
    }
    StringBuilder sb = new StringBuilder();
    boolean first = true;
    for (Value v : elems) {
      if (!(v instanceof StringValue s)) {
        throw elementError("concat", 2, coll, v, "string");
      }
      if (!first) {
        sb.append(sep);
      }
      first = false;
      sb.append(s.value());
    }
    return str(sb.toString());
  }

  /** OPA's "operand n must be array of strings but got array containing number". */
  static BuiltinException elementError(
      String builtin, int operand, Value coll, Value elem, String expected) {
    return BuiltinException.typeError(
        builtin,
        "operand "
            + operand
            + " must be "
            + coll.typeName()
            + " of "
            + expected
            + "s but got "
            + coll.typeName()
            + " containing "
            + elem.typeName());
  }

  private static Value formatInt(List<Value> a) {
    NumberValue n = Args.number("format_int", a, 0);
    NumberValue base = Args.number("format_int", a, 1);
    int radix;
    if (base.compareTo(NumberValue.of(2)) == 0) {
      radix = 2;
    } else if (base.compareTo(NumberValue.of(8)) == 0) {
      radix = 8;
    } else if (base.compareTo(NumberValue.of(10)) == 0) {
      radix = 10;
    } else if (base.compareTo(NumberValue.of(16)) == 0) {
      radix = 16;
    } else {
      throw BuiltinException.typeError("format_int", "operand 2 must be one of {2, 8, 10, 16}");
    }
    // Go truncates the float value toward zero before formatting.
    BigInteger i = n.decimal().toBigInteger();
    return str(i.toString(radix));
  }

  private static Value indexOf(List<Value> a) {
    String base = Args.string("indexof", a, 0);
    String search = Args.string("indexof", a, 1);
    if (search.isEmpty()) {
      throw BuiltinException.error("indexof", "empty search character");
    }
    int i = base.indexOf(search);
    return NumberValue.of(i < 0 ? -1 : base.codePointCount(0, i));
  }

  private static Value indexOfN(List<Value> a) {
    String base = Args.string("indexof_n", a, 0);
    String search = Args.string("indexof_n", a, 1);
    if (search.isEmpty()) {
      throw BuiltinException.error("indexof_n", "empty search character");
    }
    List<Value> out = new ArrayList<>();
    // Overlapping matches count, as OPA scans every rune position.
    for (int i = base.indexOf(search); i >= 0; i = base.indexOf(search, i + 1)) {
      if (i > 0 && Character.isLowSurrogate(base.charAt(i))) {
        continue;
      }
      out.add(NumberValue.of(base.codePointCount(0, i)));
    }
    return ArrayValue.of(out);
  }

  private static int intOperand(String builtin, List<Value> a, int i) {
    BigInteger v = Args.integer(builtin, a, i);
    if (v.bitLength() > 31) {
      return v.signum() < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    }
    return v.intValue();
  }

  private static Value substring(List<Value> a) {
    String s = Args.string("substring", a, 0);
    int start = intOperand("substring", a, 1);
    int length = intOperand("substring", a, 2);
    if (start < 0) {
      throw BuiltinException.error("substring", "negative offset");
    }
    int runes = s.codePointCount(0, s.length());
    if (start >= runes) {
      return StringValue.EMPTY;
    }
    int from = s.offsetByCodePoints(0, start);
    if (length < 0 || (long) start + length >= runes) {
      return str(s.substring(from));
    }
    return str(s.substring(from, s.offsetByCodePoints(from, length)));
  }

  /** Go's strings.Split: an empty separator splits into runes. */
  static Value split(String s, String sep) {
    List<Value> out = new ArrayList<>();
    if (sep.isEmpty()) {
      s.codePoints().forEach(cp -> out.add(str(new String(Character.toChars(cp)))));
      return ArrayValue.of(out);
    }
    int from = 0;
    for (int i = s.indexOf(sep); i >= 0; i = s.indexOf(sep, from)) {
      out.add(str(s.substring(from, i)));
      from = i + sep.length();
    }
    out.add(str(s.substring(from)));
    return ArrayValue.of(out);
  }

  /**
   * strings.split_n(s, sep, n): the first n parts of split(s, sep) (fewer if there are fewer), or
   * with a negative n the last -n parts. The remainder after the n-th separator is dropped.
   */
  private static Value splitN(List<Value> a) {
    String s = Args.string("strings.split_n", a, 0);
    String sep = Args.string("strings.split_n", a, 1);
    BigInteger n = Args.integer("strings.split_n", a, 2);
    List<Value> parts = ((ArrayValue) split(s, sep)).elements();
    int count = n.abs().min(BigInteger.valueOf(parts.size())).intValue();
    return ArrayValue.of(
        n.signum() >= 0
            ? parts.subList(0, count)
            : parts.subList(parts.size() - count, parts.size()));
  }

  private static Value replaceN(List<Value> a) {
    ObjectValue patterns = Args.object("strings.replace_n", a, 0);
    String s = Args.string("strings.replace_n", a, 1);
    List<String> olds = new ArrayList<>();
    List<String> news = new ArrayList<>();
    // Keys in Rego order: on a tie at one position the first pattern in that order wins.
    for (Map.Entry<Value, Value> e : patterns.entries().entrySet()) {
      if (!(e.getKey() instanceof StringValue k)) {
        throw BuiltinException.typeError(
            "strings.replace_n", "operand 1 non-string key found in pattern object");
      }
      if (!(e.getValue() instanceof StringValue v)) {
        throw BuiltinException.typeError(
            "strings.replace_n", "operand 1 non-string value found in pattern object");
      }
      olds.add(k.value());
      news.add(v.value());
    }
    return str(GoStrings.replaceAll(s, olds, news));
  }

  private static Value anyMatch(String builtin, List<Value> a, boolean prefix) {
    List<String> strs = stringsOperand(builtin, a, 0);
    List<String> affixes = stringsOperand(builtin, a, 1);
    for (String s : strs) {
      for (String p : affixes) {
        if (prefix ? s.startsWith(p) : s.endsWith(p)) {
          return BooleanValue.TRUE;
        }
      }
    }
    return BooleanValue.FALSE;
  }

  private static List<String> stringsOperand(String builtin, List<Value> a, int i) {
    Value v = a.get(i);
    if (v instanceof StringValue s) {
      return List.of(s.value());
    }
    Collection<Value> elems;
    if (v instanceof ArrayValue arr) {
      elems = arr.elements();
    } else if (v instanceof SetValue set) {
      elems = set.elements();
    } else {
      throw BuiltinException.typeError(builtin, i + 1, "one of {string, set, array}", v);
    }
    List<String> out = new ArrayList<>(elems.size());
    for (Value e : elems) {
      if (!(e instanceof StringValue s)) {
        throw elementError(builtin, i + 1, v, e, "string");
      }
      out.add(s.value());
    }
    return out;
  }

  private static Value sprintf(List<Value> a) {
    String format = Args.string("sprintf", a, 0);
    ArrayValue arr = Args.array("sprintf", a, 1);
    List<Object> args = new ArrayList<>(arr.size());
    for (Value v : arr.elements()) {
      args.add(goArg(v));
    }
    return str(GoFmt.sprintf(format, args));
  }

  /**
   * The Go value OPA hands to fmt for a Rego value: integers as int (or *big.Int beyond 64 bits),
   * other numbers as float64 when representable, strings as themselves and everything else as its
   * Rego text.
   */
  static Object goArg(Value v) {
    if (v instanceof StringValue s) {
      return s.value();
    }
    if (v instanceof NumberValue n) {
      String text = n.toString();
      BigDecimal d = n.decimal();
      double f = d.doubleValue();
      if (isIntegerLiteral(text)) {
        BigInteger i = new BigInteger(text);
        if (i.bitLength() < 64) {
          return i.longValue();
        }
        if (!Double.isInfinite(f)) {
          return i;
        }
        // Beyond float64 an integer was written with an exponent (2e308); OPA then formats the
        // literal text, which is not kept, so print the shortest exponent form instead.
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.unscaledValue() + "e" + (-stripped.scale());
      }
      if (!Double.isInfinite(f)) {
        return f;
      }
      return text.replace("e+", "e");
    }
    return v.toRego();
  }

  private static boolean isIntegerLiteral(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
