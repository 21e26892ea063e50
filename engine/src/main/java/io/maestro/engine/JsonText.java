package io.maestro.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;
import io.maestro.store.Tx;
import java.util.Map;

/** JSON columns and values: one shared mapper. */
public final class JsonText {
  public static final ObjectMapper MAPPER = Json.MAPPER;

  private JsonText() {}

  public static Tx.Json json(Object value) {
    return value == null ? null : new Tx.Json(write(value));
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON-serializable: " + e.getOriginalMessage(), e);
    }
  }

  public static JsonNode read(String text) {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  public static JsonNode tree(Object value) {
    return value == null ? JsonNodeFactory.instance.nullNode() : MAPPER.valueToTree(value);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(JsonNode node) {
    if (node == null || !node.isObject()) {
      return Map.of();
    }
    return MAPPER.convertValue(node, Map.class);
  }

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }
}
