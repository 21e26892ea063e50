package io.maestro.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks values against JSON Schemas (draft 2020-12), compiled once per schema text. Thread-safe.
 */
public final class JsonSchemas {
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> cache = new ConcurrentHashMap<>();

  /**
   * @throws MaestroException with {@code code} listing every violation (also as {@code errors})
   */
  public void check(JsonNode schema, JsonNode value, ErrorCode code) {
    Schema s = cache.computeIfAbsent(schema.toString(), k -> registry.getSchema(schema));
    List<Error> errors = s.validate(value);
    if (!errors.isEmpty()) {
      List<String> messages = errors.stream().map(Error::getMessage).toList();
      throw new MaestroException(
          code, String.join("; ", messages), Map.of("errors", messages), false, null);
    }
  }
}
