package io.maestro.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The size of a JSON-shaped value as stored (its compact JSON text, in UTF-8 bytes), computed by a
 * walk that allocates no text: limits are checked before anything is serialized or stored. Escapes
 * are counted as one byte per character, so the figure is a close lower bound.
 */
public final class JsonSize {
  private JsonSize() {}

  /** Size of a JSON-shaped Java value (Map, List, String, Number, Boolean or null). */
  public static long of(Object value) {
    return switch (value) {
      case null -> 4;
      case String s -> utf8(s) + 2;
      case Map<?, ?> m -> {
        long n = 2 + Math.max(0, m.size() - 1);
        for (Map.Entry<?, ?> e : m.entrySet()) {
          n += utf8(String.valueOf(e.getKey())) + 3 + of(e.getValue());
        }
        yield n;
      }
      case List<?> l -> {
        long n = 2 + Math.max(0, l.size() - 1);
        for (Object o : l) {
          n += of(o);
        }
        yield n;
      }
      case JsonNode j -> of(j);
      default -> String.valueOf(value).length();
    };
  }

  /** Size of a JSON tree. */
  public static long of(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return 4;
    }
    if (node.isTextual()) {
      return utf8(node.textValue()) + 2;
    }
    if (node.isObject()) {
      long n = 2 + Math.max(0, node.size() - 1);
      for (var e : node.properties()) {
        n += utf8(e.getKey()) + 3 + of(e.getValue());
      }
      return n;
    }
    if (node.isArray()) {
      long n = 2 + Math.max(0, node.size() - 1);
      for (JsonNode c : node) {
        n += of(c);
      }
      return n;
    }
    return node.asText().length();
  }

  /** Whether any string (or object key) in the tree contains the NUL character. */
  public static boolean hasNul(JsonNode node) {
    if (node == null) {
      return false;
    }
    if (node.isTextual()) {
      return node.textValue().indexOf('\0') >= 0;
    }
    for (var e : node.properties()) {
      if (e.getKey().indexOf('\0') >= 0 || hasNul(e.getValue())) {
        return true;
      }
    }
    for (JsonNode c : node) {
      if (c.isContainerNode() || c.isTextual() ? hasNul(c) : false) {
        return true;
      }
    }
    return false;
  }

  private static long utf8(String s) {
    // Fast path for ASCII; exact for the rest.
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return s.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return s.length();
  }
}
