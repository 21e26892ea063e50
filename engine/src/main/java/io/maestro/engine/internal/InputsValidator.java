package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.JsonText;
import java.util.Map;

/**
 * Checks run inputs against the manifest's {@code spec.inputs} JSON Schema (draft 2020-12) after
 * filling in each property's {@code default}. Compiled schemas are cached by their text.
 */
public final class InputsValidator {
  private final JsonSchemas schemas = new JsonSchemas();

  /**
   * @return the inputs with defaults applied
   * @throws MaestroException {@code inputs_invalid} listing every violation
   */
  public ObjectNode validate(JsonNode schema, Map<String, Object> inputs) {
    ObjectNode in = JsonText.MAPPER.valueToTree(inputs == null ? Map.of() : inputs);
    schema
        .path("properties")
        .properties()
        .iterator()
        .forEachRemaining(
            e -> {
              if (!in.has(e.getKey()) && e.getValue().has("default")) {
                in.set(e.getKey(), e.getValue().get("default").deepCopy());
              }
            });
    schemas.check(schema, in, EngineErrors.INPUTS_INVALID);
    return in;
  }
}
