package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.JsonText;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks run inputs against the manifest's {@code spec.inputs} JSON Schema (draft 2020-12) after
 * filling in each property's {@code default}. Compiled schemas are cached by their text.
 */
public final class InputsValidator {
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> cache = new ConcurrentHashMap<>();

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
    Schema s = cache.computeIfAbsent(schema.toString(), k -> registry.getSchema(schema));
    List<Error> errors = s.validate(in);
    if (!errors.isEmpty()) {
      List<String> messages = errors.stream().map(Error::getMessage).toList();
      throw new MaestroException(
          EngineErrors.INPUTS_INVALID,
          String.join("; ", messages),
          Map.of("errors", messages),
          false,
          null);
    }
    return in;
  }
}
