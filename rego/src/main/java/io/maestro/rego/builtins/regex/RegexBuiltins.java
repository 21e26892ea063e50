package io.maestro.rego.builtins.regex;

import com.google.re2j.Pattern;
import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NullValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * regex.* with RE2 semantics (RE2/J, the Java port of Go's engine), glob.match and glob.quote_meta.
 * Compiled patterns are cached across evaluations.
 */
public final class RegexBuiltins implements BuiltinFamily {

  @Override
  public void register(BuiltinRegistry r) {
    r.register(
        "regex.is_valid",
        "(string) => boolean",
        (ctx, a) ->
            BooleanValue.of(a.get(0) instanceof StringValue s && GoRegex.isValid(s.value())));
    r.register(
        "regex.match",
        "(string, string) => boolean",
        (ctx, a) -> {
          String p = Args.string("regex.match", a, 0);
          String v = Args.string("regex.match", a, 1);
          return BooleanValue.of(GoRegex.compile("regex.match", p).matcher(v).find());
        });
    r.register(
        "regex.split",
        "(string, string) => array[string]",
        (ctx, a) -> {
          String p = Args.string("regex.split", a, 0);
          String v = Args.string("regex.split", a, 1);
          return strings(GoRegex.split(GoRegex.compile("regex.split", p), p, v));
        });
    r.register("regex.find_n", "(string, string, number) => array[string]", (ctx, a) -> findN(a));
    r.register(
        "regex.find_all_string_submatch_n",
        "(string, string, number) => array[array[string]]",
        (ctx, a) -> findAllSubmatch(a));
    r.register(
        "regex.replace",
        "(string, string, string) => string",
        (ctx, a) -> {
          String s = Args.string("regex.replace", a, 0);
          String p = Args.string("regex.replace", a, 1);
          String v = Args.string("regex.replace", a, 2);
          return StringValue.of(GoRegex.replaceAll(GoRegex.compile("regex.replace", p), s, v));
        });
    r.register(
        "regex.template_match",
        "(string, string, string, string) => boolean",
        (ctx, a) -> templateMatch(a));
    r.register(
        "regex.globs_match",
        "(string, string) => boolean",
        (ctx, a) ->
            BooleanValue.of(
                GlobIntersection.nonEmpty(
                    Args.string("regex.globs_match", a, 0),
                    Args.string("regex.globs_match", a, 1))));
    r.register(
        "glob.match",
        "(string, any<null, array[string]>, string) => boolean",
        (ctx, a) -> globMatch(a));
    r.register(
        "glob.quote_meta",
        "(string) => string",
        (ctx, a) -> StringValue.of(Glob.quoteMeta(Args.string("glob.quote_meta", a, 0))));
  }

  private static Value strings(List<String> list) {
    List<Value> out = new ArrayList<>(list.size());
    for (String s : list) {
      out.add(StringValue.of(s));
    }
    return ArrayValue.of(out);
  }

  private static int count(String builtin, List<Value> a, int i) {
    BigInteger n = Args.integer(builtin, a, i);
    return n.bitLength() > 31 ? (n.signum() < 0 ? -1 : Integer.MAX_VALUE) : n.intValue();
  }

  private static Value findN(List<Value> a) {
    String p = Args.string("regex.find_n", a, 0);
    String v = Args.string("regex.find_n", a, 1);
    int n = count("regex.find_n", a, 2);
    List<String> out = new ArrayList<>();
    for (int[] m : GoRegex.findAll(GoRegex.compile("regex.find_n", p), v, n)) {
      out.add(v.substring(m[0], m[1]));
    }
    return strings(out);
  }

  private static Value findAllSubmatch(List<Value> a) {
    String b = "regex.find_all_string_submatch_n";
    String p = Args.string(b, a, 0);
    String v = Args.string(b, a, 1);
    int n = count(b, a, 2);
    List<Value> out = new ArrayList<>();
    for (int[] m : GoRegex.findAll(GoRegex.compile(b, p), v, n)) {
      List<Value> groups = new ArrayList<>(m.length / 2);
      for (int g = 0; g < m.length; g += 2) {
        groups.add(StringValue.of(m[g] < 0 ? "" : v.substring(m[g], m[g + 1])));
      }
      out.add(ArrayValue.of(groups));
    }
    return ArrayValue.of(out);
  }

  /**
   * regex.template_match: literal text with regexes between single-character delimiters, e.g.
   * {@code urn:foo:{.*}}; the whole value must match.
   */
  private static Value templateMatch(List<Value> a) {
    String b = "regex.template_match";
    String tpl = Args.string(b, a, 0);
    String value = Args.string(b, a, 1);
    String start = Args.string(b, a, 2);
    String end = Args.string(b, a, 3);
    if (start.length() != 1) {
      throw BuiltinException.error(
          b,
          "start delimiter has to be exactly one character long but is "
              + start.length()
              + " long");
    }
    if (end.length() != 1) {
      throw BuiltinException.error(
          b, "end delimiter has to be exactly one character long but is " + end.length() + " long");
    }
    char open = start.charAt(0);
    char close = end.charAt(0);
    List<Integer> idxs = new ArrayList<>();
    int level = 0;
    int idx = 0;
    for (int i = 0; i < tpl.length(); i++) {
      char c = tpl.charAt(i);
      if (c == open) {
        if (++level == 1) {
          idx = i;
        }
      } else if (c == close) {
        if (--level == 0) {
          idxs.add(idx);
          idxs.add(i + 1);
        } else if (level < 0) {
          throw BuiltinException.error(b, "unbalanced braces in \"" + tpl + "\"");
        }
      }
    }
    if (level != 0) {
      throw BuiltinException.error(b, "unbalanced braces in \"" + tpl + "\"");
    }
    StringBuilder pattern = new StringBuilder("^");
    int last = 0;
    for (int i = 0; i < idxs.size(); i += 2) {
      String raw = tpl.substring(last, idxs.get(i));
      last = idxs.get(i + 1);
      String part = tpl.substring(idxs.get(i) + 1, last - 1);
      GoRegex.compile(b, "^" + part + "$");
      pattern.append(GoRegex.quoteMeta(raw)).append('(').append(part).append(')');
    }
    pattern.append(GoRegex.quoteMeta(tpl.substring(last))).append('$');
    Pattern p = GoRegex.compile(b, pattern.toString());
    return BooleanValue.of(p.matcher(value).find());
  }

  private static Value globMatch(List<Value> a) {
    String pattern = Args.string("glob.match", a, 0);
    List<Integer> delimiters = new ArrayList<>();
    Value d = a.get(1);
    if (d instanceof ArrayValue arr) {
      for (Value e : arr.elements()) {
        if (!(e instanceof StringValue s)) {
          throw BuiltinException.typeError(
              "glob.match",
              "operand 2 must be array of strings but got array containing " + e.typeName());
        }
        // Each delimiter is one rune; OPA takes the first rune of each string.
        if (!s.value().isEmpty()) {
          delimiters.add(s.value().codePointAt(0));
        }
      }
      if (arr.size() == 0) {
        delimiters.add((int) '.');
      }
    } else if (!(d instanceof NullValue)) {
      throw BuiltinException.typeError("glob.match", 2, "one of {array, null}", d);
    }
    String match = Args.string("glob.match", a, 2);
    return BooleanValue.of(Glob.match(pattern, delimiters, match));
  }
}
