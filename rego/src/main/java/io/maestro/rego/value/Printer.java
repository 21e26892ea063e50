package io.maestro.rego.value;

import java.util.Map;

/** Rego text form of values, as OPA prints terms. */
final class Printer {
  private Printer() {}

  static void rego(Value v, StringBuilder sb) {
    switch (v) {
      case NullValue n -> sb.append("null");
      case BooleanValue b -> sb.append(b.value());
      case NumberValue n -> sb.append(n);
      case StringValue s -> quote(s.value(), sb);
      case ArrayValue a -> {
        sb.append('[');
        boolean first = true;
        for (Value e : a.elements()) {
          if (!first) {
            sb.append(", ");
          }
          first = false;
          rego(e, sb);
        }
        sb.append(']');
      }
      case SetValue s -> {
        if (s.isEmpty()) {
          sb.append("set()");
          return;
        }
        sb.append('{');
        boolean first = true;
        for (Value e : s.elements()) {
          if (!first) {
            sb.append(", ");
          }
          first = false;
          rego(e, sb);
        }
        sb.append('}');
      }
      case ObjectValue o -> {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
          if (!first) {
            sb.append(", ");
          }
          first = false;
          rego(e.getKey(), sb);
          sb.append(": ");
          rego(e.getValue(), sb);
        }
        sb.append('}');
      }
    }
  }

  /** JSON string quoting, as Go's strconv.Quote would for printable text. */
  static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
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
