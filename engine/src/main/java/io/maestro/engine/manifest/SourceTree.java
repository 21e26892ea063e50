package io.maestro.engine.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON tree read from YAML or JSON text that remembers where each value came from, so validation
 * can point at {@code line:column}. Jackson's tree model drops locations; this reader builds the
 * tree from the streaming parser and keeps a path → position map beside it.
 */
public final class SourceTree {
  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = new YAMLFactory();

  /** The YAML core schema's tags, which mean what the untagged value would mean. */
  private static final Set<String> STANDARD_TAGS =
      Set.of("str", "int", "float", "bool", "null", "map", "seq").stream()
          .flatMap(t -> java.util.stream.Stream.of("!!" + t, "tag:yaml.org,2002:" + t))
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

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
      if (p.nextToken() != null) {
        throw new JsonParseException(
            p,
            json
                ? "unexpected content after the manifest"
                : "a second YAML document; a manifest is exactly one document",
            p.currentTokenLocation());
      }
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

  /**
   * Decodes manifest bytes as strict UTF-8: a byte sequence that is not UTF-8 is a problem at its
   * line:column, not a replacement character stored in the manifest.
   *
   * @throws ManifestException naming where the first invalid sequence starts
   */
  public static String utf8(byte[] data) {
    ByteBuffer in = ByteBuffer.wrap(data);
    CharBuffer out = CharBuffer.allocate(data.length);
    CoderResult r =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(in, out, true);
    if (!r.isError()) {
      return out.flip().toString();
    }
    String before = out.flip().toString();
    int line = (int) before.chars().filter(ch -> ch == '\n').count() + 1;
    int column = before.length() - (before.lastIndexOf('\n') + 1) + 1;
    throw new ManifestException(
        List.of(
            new ManifestProblem(
                "",
                "not well-formed: the manifest is not valid UTF-8",
                Optional.of(new SourcePosition(line, column)))));
  }

  private static JsonNode read(JsonParser p, String path, Map<String, SourcePosition> positions)
      throws IOException {
    JsonLocation loc = p.currentTokenLocation();
    positions.putIfAbsent(path, new SourcePosition(loc.getLineNr(), loc.getColumnNr()));
    rejectYamlExtras(p);
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonToken t = p.currentToken();
    return switch (t) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonLocation keyLoc = p.currentTokenLocation();
          if (o.has(name)) {
            throw new JsonParseException(p, "duplicate key '" + name + "'", keyLoc);
          }
          rejectNul(p, name, keyLoc);
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
      case VALUE_STRING -> f.textNode(rejectNul(p, p.getText(), loc));
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

  /**
   * YAML features a manifest does not use and that would otherwise be read as something else: an
   * alias would be stored as its anchor's name and an unknown tag's value as plain data.
   */
  private static void rejectYamlExtras(JsonParser p) throws IOException {
    if (!(p instanceof YAMLParser y)) {
      return;
    }
    if (y.isCurrentAlias()) {
      throw new JsonParseException(
          p, "YAML aliases are not supported; write the value out", p.currentTokenLocation());
    }
    String tag = y.getTypeId();
    if (tag != null && !STANDARD_TAGS.contains(tag)) {
      throw new JsonParseException(p, "unknown YAML tag '" + tag + "'", p.currentTokenLocation());
    }
  }

  /** NUL cannot be stored by every database and has no place in a manifest. */
  private static String rejectNul(JsonParser p, String text, JsonLocation at) throws IOException {
    if (text.indexOf('\0') >= 0) {
      throw new JsonParseException(p, "the NUL character (U+0000) is not allowed", at);
    }
    return text;
  }
}
