package io.maestro.rego.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable Rego value. Values have a total order: null &lt; boolean &lt; number &lt; string
 * &lt; array &lt; object &lt; set; equality and hashing are by value, and numbers compare
 * numerically (1 equals 1.0).
 */
public sealed interface Value extends Comparable<Value>
    permits NullValue, BooleanValue, NumberValue, StringValue, ArrayValue, ObjectValue, SetValue {

  Value NULL = NullValue.INSTANCE;

  /** OPA's type name: "null", "boolean", "number", "string", "array", "object" or "set". */
  String typeName();

  /** Sorting rank of the value's type, following OPA's order. */
  int typeRank();

  /** JSON form: sets become sorted arrays, non-string object keys become their JSON text. */
  JsonNode toJson();

  /** Converts a Jackson tree; numbers are kept exact. */
  static Value fromJson(JsonNode node) {
    return Json.fromJson(node);
  }

  /** Converts plain Java objects: null, Boolean, Number, String, List, Set, Map (recursively). */
  static Value fromJava(Object o) {
    if (o == null) {
      return NULL;
    }
    if (o instanceof Value v) {
      return v;
    }
    if (o instanceof Boolean b) {
      return BooleanValue.of(b);
    }
    if (o instanceof BigDecimal d) {
      return NumberValue.of(d);
    }
    if (o instanceof BigInteger i) {
      return NumberValue.of(i);
    }
    if (o instanceof Double || o instanceof Float) {
      return NumberValue.of(((Number) o).doubleValue());
    }
    if (o instanceof Number n) {
      return NumberValue.of(n.longValue());
    }
    if (o instanceof CharSequence s) {
      return StringValue.of(s.toString());
    }
    if (o instanceof JsonNode n) {
      return fromJson(n);
    }
    if (o instanceof Set<?> s) {
      List<Value> out = new ArrayList<>(s.size());
      for (Object e : s) {
        out.add(fromJava(e));
      }
      return SetValue.of(out);
    }
    if (o instanceof Collection<?> c) {
      List<Value> out = new ArrayList<>(c.size());
      for (Object e : c) {
        out.add(fromJava(e));
      }
      return ArrayValue.of(out);
    }
    if (o instanceof Object[] arr) {
      return fromJava(List.of(arr));
    }
    if (o instanceof Map<?, ?> m) {
      Map<Value, Value> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(fromJava(e.getKey()), fromJava(e.getValue()));
      }
      return ObjectValue.of(out);
    }
    throw new IllegalArgumentException("cannot convert " + o.getClass().getName() + " to a value");
  }

  /** Rego's text form of this value (strings quoted), as printed by OPA. */
  default String toRego() {
    StringBuilder sb = new StringBuilder();
    Printer.rego(this, sb);
    return sb.toString();
  }

  /** Lexicographic comparison helper shared by arrays and sets. */
  static int compareSequences(Iterator<Value> a, Iterator<Value> b) {
    while (a.hasNext() && b.hasNext()) {
      int c = a.next().compareTo(b.next());
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(a.hasNext(), b.hasNext());
  }
}
