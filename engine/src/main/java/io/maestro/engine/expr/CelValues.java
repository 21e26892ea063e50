package io.maestro.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.primitives.UnsignedLong;
import com.google.protobuf.ByteString;
import dev.cel.common.values.NullValue;
import io.maestro.core.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between JSON-shaped Java values and CEL's runtime values. CEL has one integer type
 * (64-bit) and one floating type; JSON nulls are CEL's {@code null}.
 */
public final class CelValues {
  private static final ObjectMapper MAPPER = Json.MAPPER;

  private CelValues() {}

  /** JSON-shaped Java (from Jackson or our own maps) → CEL. */
  static Object toCel(Object v) {
    return switch (v) {
      case null -> NullValue.NULL_VALUE;
      case JsonNode n -> toCel(MAPPER.convertValue(n, Object.class));
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case Float f -> f.doubleValue();
      case BigInteger b -> b.bitLength() < 64 ? b.longValue() : b.doubleValue();
      case BigDecimal d -> d.doubleValue();
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), toCel(x)));
        yield out;
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>(l.size());
        l.forEach(x -> out.add(toCel(x)));
        yield out;
      }
      default -> v;
    };
  }

  /** CEL → JSON-shaped Java (Map, List, String, Long, Double, Boolean, null). */
  public static Object fromCel(Object v) {
    return switch (v) {
      case null -> null;
      case NullValue n -> null;
      case UnsignedLong u -> u.longValue();
      case ByteString b -> b.toStringUtf8();
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), fromCel(x)));
        yield out;
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>(l.size());
        l.forEach(x -> out.add(fromCel(x)));
        yield out;
      }
      default -> v;
    };
  }

  /** Renders a value for string interpolation: text as is, everything else as compact JSON. */
  static String render(Object v) {
    if (v instanceof String s) {
      return s;
    }
    try {
      return MAPPER.writeValueAsString(v);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return String.valueOf(v);
    }
  }
}
