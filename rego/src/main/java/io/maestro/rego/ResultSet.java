package io.maestro.rego;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.rego.value.Value;
import java.util.List;
import java.util.Map;

/** The rows of a query's result: one map of variable bindings per solution. */
public record ResultSet(List<Map<String, Value>> rows) {
  public ResultSet {
    rows = List.copyOf(rows);
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The binding of {@code var} in the first row, or null when there is none. */
  public Value first(String var) {
    return rows.isEmpty() ? null : rows.get(0).get(var);
  }

  /** JSON form: an array of objects, one per row. */
  public JsonNode toJson() {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Map<String, Value> row : rows) {
      ObjectNode o = out.addObject();
      row.forEach((k, v) -> o.set(k, v.toJson()));
    }
    return out;
  }
}
