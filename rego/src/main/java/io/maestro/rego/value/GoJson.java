package io.maestro.rego.value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON as Go's encoding/json writes and reads it: object keys sorted bytewise, HTML characters
 * escaped, numbers exact, and syntax errors worded like Go's ("invalid character 'x' looking for
 * beginning of value"). The one Go-compatible JSON reader and writer of the engine: json.*, yaml.*,
 * io.jwt.* and the capabilities output all use it, so they agree byte for byte with OPA.
 */
public final class GoJson {
  private GoJson() {}

  /** A JSON syntax error with Go's message. */
  public static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }

  // ---- writing ----

  /** json.Marshal (indent == null) or json.MarshalIndent(prefix, indent). */
  public static String marshal(Value v, String prefix, String indent) {
    StringBuilder sb = new StringBuilder();
    write(v, sb, prefix, indent, 0);
    return sb.toString();
  }

  /** The key under which Go stores a Rego object key: strings as-is, others as their JSON. */
  public static String keyString(Value k) {
    return k instanceof StringValue s ? s.value() : marshal(k, null, null);
  }

  private static void write(Value v, StringBuilder sb, String prefix, String indent, int depth) {
    switch (v) {
      case NullValue n -> sb.append("null");
      case BooleanValue b -> sb.append(b.value());
      case NumberValue n -> sb.append(n);
      case StringValue s -> quote(s.value(), sb);
      case ArrayValue a -> writeSeq(a.elements(), sb, prefix, indent, depth);
      case SetValue s -> writeSeq(s.elements(), sb, prefix, indent, depth);
      case ObjectValue o -> {
        if (o.size() == 0) {
          sb.append("{}");
          return;
        }
        // Go sorts map keys by their bytes, which for UTF-8 is code point order.
        TreeMap<String, Value> sorted = new TreeMap<>(StringValue::compareCodePoints);
        for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
          sorted.put(keyString(e.getKey()), e.getValue());
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Value> e : sorted.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          newline(sb, prefix, indent, depth + 1);
          quote(e.getKey(), sb);
          sb.append(indent == null ? ":" : ": ");
          write(e.getValue(), sb, prefix, indent, depth + 1);
        }
        newline(sb, prefix, indent, depth);
        sb.append('}');
      }
    }
  }

  private static void writeSeq(
      Iterable<Value> elems, StringBuilder sb, String prefix, String indent, int depth) {
    sb.append('[');
    boolean first = true;
    for (Value e : elems) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      newline(sb, prefix, indent, depth + 1);
      write(e, sb, prefix, indent, depth + 1);
    }
    if (!first) {
      newline(sb, prefix, indent, depth);
    }
    sb.append(']');
  }

  private static void newline(StringBuilder sb, String prefix, String indent, int depth) {
    if (indent == null) {
      return;
    }
    sb.append('\n').append(prefix);
    sb.append(indent.repeat(depth));
  }

  /** Go's JSON string encoding, with HTML escaping on. */
  public static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  // ---- reading ----

  /** Parses one JSON document (surrounding white space allowed), numbers exact. */
  public static Value parse(String s) throws SyntaxError {
    Reader r = new Reader(s);
    r.ws();
    Value v = r.value();
    r.ws();
    if (r.i < s.length()) {
      throw new SyntaxError(
          "invalid character " + quoteChar(s.codePointAt(r.i)) + " after top-level value");
    }
    return v;
  }

  public static boolean isValid(String s) {
    try {
      parse(s);
      return true;
    } catch (SyntaxError e) {
      return false;
    }
  }

  public static String quoteChar(int c) {
    if (c == '\'') {
      return "'\\''";
    }
    if (c == '"') {
      return "'\"'";
    }
    return switch (c) {
      case '\n' -> "'\\n'";
      case '\t' -> "'\\t'";
      case '\r' -> "'\\r'";
      default ->
          c < 0x20 ? String.format("'\\x%02x'", c) : "'" + new String(Character.toChars(c)) + "'";
    };
  }

  private static final class Reader {
    private final String s;
    private int i;

    Reader(String s) {
      this.s = s;
    }

    void ws() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        i++;
      }
    }

    private SyntaxError eof() {
      return new SyntaxError("unexpected end of JSON input");
    }

    private SyntaxError bad(String context) {
      return new SyntaxError("invalid character " + quoteChar(s.codePointAt(i)) + " " + context);
    }

    Value value() throws SyntaxError {
      if (i >= s.length()) {
        throw eof();
      }
      char c = s.charAt(i);
      switch (c) {
        case '{' -> {
          return object();
        }
        case '[' -> {
          return array();
        }
        case '"' -> {
          return StringValue.of(string());
        }
        case 't' -> {
          literal("true");
          return BooleanValue.TRUE;
        }
        case 'f' -> {
          literal("false");
          return BooleanValue.FALSE;
        }
        case 'n' -> {
          literal("null");
          return NullValue.INSTANCE;
        }
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw bad("looking for beginning of value");
        }
      }
    }

    private void literal(String word) throws SyntaxError {
      for (int k = 0; k < word.length(); k++) {
        if (i >= s.length()) {
          throw eof();
        }
        if (s.charAt(i) != word.charAt(k)) {
          throw bad("in literal " + word + " (expecting '" + word.charAt(k) + "')");
        }
        i++;
      }
    }

    private Value number() throws SyntaxError {
      int start = i;
      if (s.charAt(i) == '-') {
        i++;
        if (i >= s.length()) {
          throw eof();
        }
        if (!isDigit()) {
          throw bad("in numeric literal");
        }
      }
      if (s.charAt(i) == '0') {
        i++;
      } else {
        digits();
      }
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        if (i >= s.length()) {
          throw eof();
        }
        if (!isDigit()) {
          throw bad("after decimal point in numeric literal");
        }
        digits();
      }
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        i++;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        if (i >= s.length()) {
          throw eof();
        }
        if (!isDigit()) {
          throw bad("in exponent of numeric literal");
        }
        digits();
      }
      return NumberValue.parse(s.substring(start, i));
    }

    private boolean isDigit() {
      return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    private void digits() {
      while (isDigit()) {
        i++;
      }
    }

    private String string() throws SyntaxError {
      i++; // opening quote
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw eof();
        }
        char c = s.charAt(i);
        if (c == '"') {
          i++;
          return sb.toString();
        }
        if (c < 0x20) {
          throw bad("in string literal");
        }
        if (c == '\\') {
          i++;
          if (i >= s.length()) {
            throw eof();
          }
          char e = s.charAt(i);
          switch (e) {
            case '"', '\\', '/' -> sb.append(e);
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
              if (i + 4 >= s.length()) {
                i = s.length();
                throw eof();
              }
              int cp = 0;
              for (int k = 1; k <= 4; k++) {
                int d = Character.digit(s.charAt(i + k), 16);
                if (d < 0) {
                  i += k;
                  throw bad("in \\u hexadecimal character escape");
                }
                cp = cp * 16 + d;
              }
              sb.append((char) cp);
              i += 4;
            }
            default -> throw bad("in string escape code");
          }
          i++;
          continue;
        }
        sb.append(c);
        i++;
      }
    }

    private Value array() throws SyntaxError {
      i++;
      List<Value> out = new ArrayList<>();
      ws();
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
        return ArrayValue.of(out);
      }
      do {
        ws();
        out.add(value());
      } while (separator(']', "after array element"));
      return ArrayValue.of(out);
    }

    private Value object() throws SyntaxError {
      i++;
      Map<Value, Value> out = new HashMap<>();
      ws();
      if (i < s.length() && s.charAt(i) == '}') {
        i++;
        return ObjectValue.of(out);
      }
      do {
        if (nextChar() != '"') {
          throw bad("looking for beginning of object key string");
        }
        String key = string();
        if (nextChar() != ':') {
          throw bad("after object key");
        }
        i++;
        ws();
        out.put(StringValue.of(key), value());
      } while (separator('}', "after object key:value pair"));
      return ObjectValue.of(out);
    }

    /** The next character after white space, not consumed; the input must not end here. */
    private char nextChar() throws SyntaxError {
      ws();
      if (i >= s.length()) {
        throw eof();
      }
      return s.charAt(i);
    }

    /** After a member: true at a comma (another member follows), false at {@code close}. */
    private boolean separator(char close, String context) throws SyntaxError {
      char c = nextChar();
      if (c != ',' && c != close) {
        throw bad(context);
      }
      i++;
      return c == ',';
    }
  }
}
