package io.maestro.core.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The project's Jackson configurations, one per purpose, shared and thread-safe; code asks here
 * instead of building its own {@link ObjectMapper}. Purposes with stricter rules keep them next to
 * their owner: HTTP request bodies (the server's {@code HttpJson}: duplicate keys, trailing tokens
 * and limits refused) and hashing ({@link CanonicalJson}, RFC 8785).
 *
 * <p>Never reconfigure these instances: build a new one here for a new purpose.
 */
public final class Json {
  /** JSON trees and values, Jackson's defaults: reading files and responses, writing compactly. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /** Human-facing JSON output (CLI {@code --output json}, generated documents): indented. */
  public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  /** JSON whose map keys are written sorted, so the same value gives the same bytes. */
  public static final ObjectMapper SORTED =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** YAML documents (configuration, manifests' side files, price books, OpenAPI) as JSON trees. */
  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Json() {}
}
