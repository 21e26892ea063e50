package io.maestro.rego.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** A Rego string. Strings order by their UTF-8 bytes, which equals code point order. */
public final class StringValue implements Value {
  public static final StringValue EMPTY = new StringValue("");

  private final String value;

  private StringValue(String value) {
    this.value = value;
  }

  public static StringValue of(String s) {
    return s.isEmpty() ? EMPTY : new StringValue(s);
  }

  public String value() {
    return value;
  }

  @Override
  public String typeName() {
    return "string";
  }

  @Override
  public int typeRank() {
    return 3;
  }

  @Override
  public JsonNode toJson() {
    return TextNode.valueOf(value);
  }

  @Override
  public int compareTo(Value o) {
    if (o instanceof StringValue s) {
      return compareCodePoints(value, s.value);
    }
    return Integer.compare(3, o.typeRank());
  }

  /**
   * Go compares strings bytewise; for UTF-8 that is code point order, not UTF-16 unit order. Public
   * so that builtins which sort keys as Go does (JSON, YAML, URL queries) use this same order.
   */
  public static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
          return Integer.compare(a.codePointAt(i), b.codePointAt(i));
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof StringValue s && s.value.equals(value));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return toRego();
  }
}
