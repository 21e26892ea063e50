package io.maestro.engine.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON tree read from YAML or JSON text that remembers where each value came from, so validation
 * can point at {@code line:column}. Jackson's tree model drops locations; this reader builds the
 * tree from the streaming parser and keeps a path → position map beside it.
 */
public final class SourceTree {
  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = new YAMLFactory();

  private final JsonNode root;
  private final Map<String, SourcePosition> positions;

  private SourceTree(JsonNode root, Map<String, SourcePosition> positions) {
    this.root = root;
    this.positions = Map.copyOf(positions);
  }

  /** The document's root value. Callers must not modify it. */
  public JsonNode root() {
    return root;
  }

  /** Where the value at {@code path} starts in the source, when it came from source text. */
  public Optional<SourcePosition> position(String path) {
    return Optional.ofNullable(positions.get(path));
  }

  /** Wraps a tree that has no source text (e.g. built in code): no positions. */
  public static SourceTree of(JsonNode root) {
    return new SourceTree(root, Map.of());
  }

  /**
   * Reads YAML or JSON (JSON is YAML, but the JSON parser gives better messages for JSON input).
   *
   * @throws ManifestException if the text is not well-formed
   */
  public static SourceTree parse(String text) {
    String trimmed = text.stripLeading();
    boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
    Map<String, SourcePosition> positions = new HashMap<>();
    try (JsonParser p = json ? JSON.createParser(text) : YAML.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new ManifestException(
            List.of(new ManifestProblem("", "the manifest is empty", Optional.empty())));
      }
      JsonNode root = read(p, "", positions);
      return new SourceTree(root, positions);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      Optional<SourcePosition> pos =
          at == null || at.getLineNr() < 1
              ? Optional.empty()
              : Optional.of(new SourcePosition(at.getLineNr(), at.getColumnNr()));
      throw new ManifestException(
          List.of(new ManifestProblem("", "not well-formed: " + e.getOriginalMessage(), pos)));
    } catch (IOException e) {
      throw new ManifestException(
          List.of(new ManifestProblem("", "unreadable: " + e.getMessage(), Optional.empty())));
    }
  }

  private static JsonNode read(JsonParser p, String path, Map<String, SourcePosition> positions)
      throws IOException {
    JsonLocation loc = p.currentTokenLocation();
    positions.putIfAbsent(path, new SourcePosition(loc.getLineNr(), loc.getColumnNr()));
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonToken t = p.currentToken();
    return switch (t) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonLocation keyLoc = p.currentTokenLocation();
          String child = path.isEmpty() ? name : path + "." + name;
          positions.put(child, new SourcePosition(keyLoc.getLineNr(), keyLoc.getColumnNr()));
          p.nextToken();
          o.set(name, read(p, child, positions));
        }
        yield o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(read(p, path + "[" + i + "]", positions));
          i++;
        }
        yield a;
      }
      case VALUE_STRING -> f.textNode(p.getText());
      case VALUE_NUMBER_INT ->
          p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? f.numberNode(p.getBigIntegerValue())
              : f.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT -> f.numberNode(p.getDoubleValue());
      case VALUE_TRUE -> f.booleanNode(true);
      case VALUE_FALSE -> f.booleanNode(false);
      case VALUE_NULL -> f.nullNode();
      default -> throw new IOException("unexpected token " + t);
    };
  }
}
