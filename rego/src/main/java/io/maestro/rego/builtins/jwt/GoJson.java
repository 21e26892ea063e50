package io.maestro.rego.builtins.jwt;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NullValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON text as Go's {@code encoding/json} writes and reads it: object keys sorted, no spaces, HTML
 * characters escaped, integers without exponent; strict parsing with exact numbers.
 */
final class GoJson {
  private GoJson() {}

  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Parses JSON text (duplicate keys: the last wins, as in Go). */
  static Value parse(String text) throws IOException {
    if (text.isBlank()) {
      throw new IOException("unexpected end of JSON input");
    }
    JsonNode n = STRICT.readTree(text);
    if (n == null || n.isMissingNode()) {
      throw new IOException("unexpected end of JSON input");
    }
    return Value.fromJson(n);
  }

  static boolean valid(String text) {
    try {
      parse(text);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static String marshal(Value v) {
    StringBuilder sb = new StringBuilder();
    write(v, sb);
    return sb.toString();
  }

  private static void write(Value v, StringBuilder sb) {
    switch (v) {
      case NullValue n -> sb.append("null");
      case BooleanValue b -> sb.append(b.value());
      case NumberValue n -> sb.append(number(n));
      case StringValue s -> string(s.value(), sb);
      case ArrayValue a -> {
        sb.append('[');
        for (int i = 0; i < a.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          write(a.get(i), sb);
        }
        sb.append(']');
      }
      case SetValue s -> {
        sb.append('[');
        boolean first = true;
        for (Value e : s.elements()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          write(e, sb);
        }
        sb.append(']');
      }
      case ObjectValue o -> {
        // Go marshals map keys in sorted order of their (string) form.
        Map<String, Value> sorted = new TreeMap<>();
        for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
          String k =
              e.getKey() instanceof StringValue s ? s.value() : e.getKey().toJson().toString();
          sorted.put(k, e.getValue());
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Value> e : sorted.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          string(e.getKey(), sb);
          sb.append(':');
          write(e.getValue(), sb);
        }
        sb.append('}');
      }
    }
  }

  private static String number(NumberValue n) {
    BigDecimal d = n.decimal();
    if (n.isInteger()) {
      return n.bigInteger().toString();
    }
    return d.stripTrailingZeros().toPlainString();
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
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
}
