package io.maestro.rego.builtins.encoding;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.GoJson;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encoding builtins: base64, base64url, hex, json.marshal/unmarshal/is_valid/ marshal_with_options,
 * yaml.marshal/unmarshal/is_valid and urlquery.*. Rego strings are treated as UTF-8 bytes, as Go
 * treats them; decoded bytes that are not UTF-8 become U+FFFD.
 */
public final class EncodingBuiltins implements BuiltinFamily {

  @Override
  public void register(BuiltinRegistry r) {
    r.register(
        "base64.encode",
        "(string) => string",
        (ctx, a) -> str(Base64Go.encode(bytes("base64.encode", a), false, true)));
    r.register(
        "base64.decode",
        "(string) => string",
        (ctx, a) -> str(decode("base64.decode", Args.string("base64.decode", a, 0), false)));
    r.register(
        "base64.is_valid",
        "(string) => boolean",
        (ctx, a) ->
            BooleanValue.of(
                a.get(0) instanceof StringValue s && Base64Go.decode(s.value(), false) != null));
    r.register(
        "base64url.encode",
        "(string) => string",
        (ctx, a) -> str(Base64Go.encode(bytes("base64url.encode", a), true, true)));
    r.register(
        "base64url.encode_no_pad",
        "(string) => string",
        (ctx, a) -> str(Base64Go.encode(bytes("base64url.encode_no_pad", a), true, false)));
    r.register("base64url.decode", "(string) => string", (ctx, a) -> base64UrlDecode(a));
    r.register(
        "hex.encode",
        "(string) => string",
        (ctx, a) -> str(Base64Go.hexEncode(bytes("hex.encode", a))));
    r.register(
        "hex.decode",
        "(string) => string",
        (ctx, a) -> {
          byte[] out;
          try {
            out = Base64Go.hexDecode(Args.string("hex.decode", a, 0));
          } catch (IllegalArgumentException e) {
            throw BuiltinException.error("hex.decode", e.getMessage());
          }
          return str(new String(out, StandardCharsets.UTF_8));
        });
    r.register(
        "json.marshal", "(any) => string", (ctx, a) -> str(GoJson.marshal(a.get(0), null, null)));
    r.register(
        "json.marshal_with_options",
        "(any, object<indent: string, prefix: string, pretty: boolean>[string: any]) => string",
        (ctx, a) -> marshalWithOptions(a));
    r.register(
        "json.unmarshal",
        "(string) => any",
        (ctx, a) -> {
          try {
            return GoJson.parse(Args.string("json.unmarshal", a, 0));
          } catch (GoJson.SyntaxError e) {
            throw BuiltinException.error("json.unmarshal", e.getMessage());
          }
        });
    r.register(
        "json.is_valid",
        "(string) => boolean",
        (ctx, a) ->
            BooleanValue.of(a.get(0) instanceof StringValue s && GoJson.isValid(s.value())));
    r.register("yaml.marshal", "(any) => string", (ctx, a) -> str(GoYaml.marshal(a.get(0))));
    r.register(
        "yaml.unmarshal",
        "(string) => any",
        (ctx, a) -> GoYaml.unmarshal("yaml.unmarshal", Args.string("yaml.unmarshal", a, 0)));
    r.register(
        "yaml.is_valid",
        "(string) => boolean",
        (ctx, a) ->
            BooleanValue.of(a.get(0) instanceof StringValue s && GoYaml.isValid(s.value())));
    r.register(
        "urlquery.encode",
        "(string) => string",
        (ctx, a) -> str(UrlQuery.escape(Args.string("urlquery.encode", a, 0))));
    r.register(
        "urlquery.decode",
        "(string) => string",
        (ctx, a) -> {
          try {
            return str(UrlQuery.unescape(Args.string("urlquery.decode", a, 0)));
          } catch (IllegalArgumentException e) {
            throw BuiltinException.error("urlquery.decode", e.getMessage());
          }
        });
    r.register(
        "urlquery.encode_object",
        "(object[string: any<string, array[string], set[string]>]) => string",
        (ctx, a) -> encodeObject(a));
    r.register(
        "urlquery.decode_object",
        "(string) => object[string: array[string]]",
        (ctx, a) -> {
          try {
            return UrlQuery.parse(Args.string("urlquery.decode_object", a, 0));
          } catch (IllegalArgumentException e) {
            throw BuiltinException.error("urlquery.decode_object", e.getMessage());
          }
        });
  }

  private static Value str(String s) {
    return StringValue.of(s);
  }

  private static byte[] bytes(String builtin, List<Value> a) {
    return Args.string(builtin, a, 0).getBytes(StandardCharsets.UTF_8);
  }

  private static String decode(String builtin, String s, boolean url) {
    byte[] out = Base64Go.decode(s, url);
    if (out == null) {
      throw BuiltinException.error(builtin, Base64Go.lastError(s, url));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static Value base64UrlDecode(List<Value> a) {
    String s = Args.string("base64url.decode", a, 0);
    // Encoders often drop the padding (RFC 7515 appendix C), so restore it first.
    if (!s.endsWith("=")) {
      switch (s.length() % 4) {
        case 0 -> {}
        case 2 -> s += "==";
        case 3 -> s += "=";
        default ->
            throw BuiltinException.error("base64url.decode", "illegal base64url string: " + s);
      }
    }
    return str(decode("base64url.decode", s, true));
  }

  /**
   * json.marshal_with_options(x, opts). Option errors read as OPA's: keys quoted as Rego strings, a
   * wrong value's own error naming the key's position among the (sorted) option keys.
   */
  private static Value marshalWithOptions(List<Value> a) {
    String b = "json.marshal_with_options";
    ObjectValue opts = Args.object(b, a, 1);
    String indent = "\t";
    String prefix = "";
    boolean implicitPretty = false;
    Boolean explicitPretty = null;
    int idx = -1;
    for (Map.Entry<Value, Value> e : opts.entries().entrySet()) {
      idx++;
      if (!(e.getKey() instanceof StringValue k)) {
        throw BuiltinException.typeError(
            b,
            "operand 2 failed to stringify key "
                + e.getKey().toRego()
                + " at index "
                + idx
                + ": "
                + mustBe(idx, "string", e.getKey()));
      }
      Value v = e.getValue();
      switch (k.value()) {
        case "prefix", "indent" -> {
          if (!(v instanceof StringValue s)) {
            throw BuiltinException.typeError(
                b,
                "operand 2 key "
                    + k.toRego()
                    + " failed cast to string: "
                    + mustBe(idx, "string", v));
          }
          if (k.value().equals("prefix")) {
            prefix = s.value();
          } else {
            indent = s.value();
          }
          implicitPretty = true;
        }
        case "pretty" -> {
          if (!(v instanceof BooleanValue p)) {
            throw BuiltinException.typeError(
                b, "operand 2 key " + k.toRego() + " failed cast to bool");
          }
          explicitPretty = p.value();
        }
        default ->
            throw BuiltinException.typeError(
                b, "operand 2 object contained unknown key " + k.toRego());
      }
    }
    boolean pretty = explicitPretty != null ? explicitPretty : implicitPretty;
    if (!pretty) {
      return str(GoJson.marshal(a.get(0), null, null));
    }
    return str(prefix + GoJson.marshal(a.get(0), prefix, indent));
  }

  /** OPA's operand type error text, with the operand number it was given. */
  private static String mustBe(int operand, String expected, Value got) {
    return "operand " + operand + " must be " + expected + " but got " + got.typeName();
  }

  private static Value encodeObject(List<Value> a) {
    String b = "urlquery.encode_object";
    ObjectValue o = Args.object(b, a, 0);
    TreeMap<String, List<String>> query = new TreeMap<>(StringValue::compareCodePoints);
    for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
      String key = GoJson.keyString(e.getKey());
      Value v = e.getValue();
      List<String> values = new ArrayList<>();
      if (v instanceof StringValue s) {
        values.add(s.value());
      } else if (v instanceof ArrayValue || v instanceof SetValue) {
        Collection<Value> elems =
            v instanceof ArrayValue arr ? arr.elements() : ((SetValue) v).elements();
        for (Value x : elems) {
          if (!(x instanceof StringValue s)) {
            throw valuesError(b);
          }
          values.add(s.value());
        }
      } else {
        throw valuesError(b);
      }
      query.put(key, values);
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      for (String v : e.getValue()) {
        if (!sb.isEmpty()) {
          sb.append('&');
        }
        sb.append(UrlQuery.escape(e.getKey())).append('=').append(UrlQuery.escape(v));
      }
    }
    return str(sb.toString());
  }

  private static BuiltinException valuesError(String b) {
    return BuiltinException.typeError(
        b, "operand 1 values must be string, array[string], or set[string]");
  }

  /** net/url query escaping and parsing. */
  static final class UrlQuery {
    private UrlQuery() {}

    static String escape(String s) {
      StringBuilder sb = new StringBuilder();
      for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
        int c = b & 0xff;
        if ((c >= 'a' && c <= 'z')
            || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9')
            || c == '-'
            || c == '_'
            || c == '.'
            || c == '~') {
          sb.append((char) c);
        } else if (c == ' ') {
          sb.append('+');
        } else {
          sb.append('%')
              .append("0123456789ABCDEF".charAt(c >> 4))
              .append("0123456789ABCDEF".charAt(c & 15));
        }
      }
      return sb.toString();
    }

    static String unescape(String s) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] in = s.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < in.length; i++) {
        byte c = in[i];
        if (c == '%') {
          if (i + 2 >= in.length || hex(in[i + 1]) < 0 || hex(in[i + 2]) < 0) {
            String rest = new String(in, i, Math.min(3, in.length - i), StandardCharsets.UTF_8);
            throw new IllegalArgumentException("invalid URL escape \"" + rest + "\"");
          }
          out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
          i += 2;
        } else if (c == '+') {
          out.write(' ');
        } else {
          out.write(c);
        }
      }
      return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
      return Character.digit((char) (b & 0xff), 16);
    }

    /** url.ParseQuery; the first malformed pair's error is reported. */
    static Value parse(String query) {
      Map<String, List<String>> out = new LinkedHashMap<>();
      IllegalArgumentException first = null;
      for (String pair : query.split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        if (pair.contains(";")) {
          if (first == null) {
            first = new IllegalArgumentException("invalid semicolon separator in query");
          }
          continue;
        }
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        try {
          k = unescape(k);
          v = unescape(v);
        } catch (IllegalArgumentException e) {
          if (first == null) {
            first = e;
          }
          continue;
        }
        out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
      }
      if (first != null) {
        throw first;
      }
      Map<Value, Value> obj = new LinkedHashMap<>();
      for (Map.Entry<String, List<String>> e : out.entrySet()) {
        List<Value> vals = new ArrayList<>();
        e.getValue().forEach(v -> vals.add(StringValue.of(v)));
        obj.put(StringValue.of(e.getKey()), ArrayValue.of(vals));
      }
      return ObjectValue.of(obj);
    }
  }
}
