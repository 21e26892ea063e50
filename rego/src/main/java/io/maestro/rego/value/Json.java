package io.maestro.rego.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Jackson tree conversion; numbers are read exactly. */
final class Json {
  private Json() {}

  static Value fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NullValue.INSTANCE;
    }
    if (node.isBoolean()) {
      return BooleanValue.of(node.booleanValue());
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong()
          ? NumberValue.of(node.longValue())
          : NumberValue.of(node.bigIntegerValue());
    }
    if (node.isNumber()) {
      if (node.isBigDecimal()) {
        return NumberValue.of(node.decimalValue());
      }
      return NumberValue.parse(node.asText());
    }
    if (node.isTextual()) {
      return StringValue.of(node.textValue());
    }
    if (node.isArray()) {
      List<Value> out = new ArrayList<>(node.size());
      for (JsonNode n : node) {
        out.add(fromJson(n));
      }
      return ArrayValue.of(out);
    }
    if (node.isObject()) {
      HashMap<Value, Value> m = new HashMap<>(Math.max(4, node.size() * 2));
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        m.put(StringValue.of(e.getKey()), fromJson(e.getValue()));
      }
      return ObjectValue.wrap(m);
    }
    return StringValue.of(node.asText());
  }
}
