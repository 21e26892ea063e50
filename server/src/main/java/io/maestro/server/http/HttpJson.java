package io.maestro.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reading and writing JSON bodies. Request bodies are checked at the edge: the content type must be
 * JSON, the size must be within {@code server.maxBodyBytes}, the text must parse; each failure is a
 * problem with its own stable code.
 */
public final class HttpJson {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          // Strict reading: a repeated key is an error, not "last one wins", and a value of the
          // wrong type is refused rather than coerced ("5" for 5, 5 for "5").
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          // Amounts as finance reads them: 0.0000008, never 8E-7.
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  /** Used when a request reaches a handler without a router-set limit (never in the server). */
  private static final long DEFAULT_MAX_BODY_BYTES = 1 << 20;

  private HttpJson() {}

  /**
   * The body size limit of the server serving a request; {@link ApiRouter} registers it in every
   * request's context, so several servers in one JVM keep their own limits.
   */
  record BodyLimit(long bytes) {}

  /** Reads the request body as a JSON tree; an empty body is an empty object. */
  public static JsonNode read(ServerRequest req) {
    return parse(readRaw(req));
  }

  /**
   * The request body's bytes as sent (for a signature over them), after the content-type and size
   * checks {@link #read} makes.
   */
  public static byte[] readRaw(ServerRequest req) {
    String type =
        req.headers().first(HeaderNames.CONTENT_TYPE).orElse("application/json").toLowerCase();
    if (!type.startsWith("application/json") && !type.contains("+json")) {
      throw MaestroException.of(
          CoreErrors.UNSUPPORTED_MEDIA_TYPE,
          "send the body as application/json (got " + type + ")");
    }
    return readBounded(req);
  }

  /** A JSON body as {@link #read} reads it; empty is an empty object. */
  public static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return MAPPER.createObjectNode();
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body);
    } catch (IOException e) {
      String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      if (msg.startsWith("Duplicate field")) {
        // Well-formed JSON, but which of the two values was meant is anyone's guess.
        throw MaestroException.of(CoreErrors.VALIDATION_FAILED, "the body has a " + msg);
      }
      throw MaestroException.of(CoreErrors.MALFORMED_JSON, "the body is not valid JSON: " + msg);
    }
    rejectNul(tree, "");
    return tree;
  }

  /**
   * The NUL character has no meaning in any field Maestro accepts and PostgreSQL cannot store it in
   * text: it is refused at the edge, on every database alike.
   */
  private static void rejectNul(JsonNode node, String path) {
    if (node.isTextual()) {
      requireNoNul(node.textValue(), path.isEmpty() ? "the body" : path);
    } else if (node.isObject()) {
      for (var e : node.properties()) {
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        requireNoNul(e.getKey(), "a field name in " + (path.isEmpty() ? "the body" : path));
        rejectNul(e.getValue(), child);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        rejectNul(node.get(i), path + "[" + i + "]");
      }
    }
  }

  /**
   * Refuses text with a NUL character (U+0000) with 422 {@code validation_failed}.
   *
   * @param where names the field for the message
   */
  public static void requireNoNul(String text, String where) {
    if (text.indexOf('\0') >= 0) {
      throw MaestroException.of(
          CoreErrors.VALIDATION_FAILED, where + " contains the NUL character (U+0000)");
    }
  }

  /**
   * A string field of a request body: empty when absent or null, a 422 {@code validation_failed}
   * when it is there with another type (a number is not silently read as its digits).
   */
  public static Optional<String> optionalText(JsonNode body, String field) {
    JsonNode v = body.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw MaestroException.of(
          CoreErrors.VALIDATION_FAILED,
          field
              + " must be a string (got "
              + v.getNodeType().name().toLowerCase(Locale.ROOT)
              + ")");
    }
    return Optional.of(v.textValue());
  }

  /** An integer field of a request body: empty when absent or null, 422 for any other type. */
  public static Optional<Long> optionalInteger(JsonNode body, String field) {
    JsonNode v = body.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw MaestroException.of(CoreErrors.VALIDATION_FAILED, field + " must be an integer");
    }
    return Optional.of(v.longValue());
  }

  /** Reads the request body as {@code type}; unknown fields and bad values are problems. */
  public static <T> T read(ServerRequest req, Class<T> type) {
    JsonNode tree = read(req);
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (IOException e) {
      String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw MaestroException.of(CoreErrors.VALIDATION_FAILED, msg);
    }
  }

  private static byte[] readBounded(ServerRequest req) {
    long limit =
        req.context().get(BodyLimit.class).map(BodyLimit::bytes).orElse(DEFAULT_MAX_BODY_BYTES);
    long declared = req.headers().contentLength().orElse(-1);
    if (declared > limit) {
      throw tooLarge(limit);
    }
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (data.length > limit) {
        throw tooLarge(limit);
      }
      return data;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MaestroException tooLarge(long limit) {
    return MaestroException.of(
        CoreErrors.PAYLOAD_TOO_LARGE, "the body exceeds the limit of " + limit + " bytes");
  }

  /** Sends {@code body} as JSON with the given status. */
  public static void send(ServerResponse res, Status status, Object body) {
    try {
      byte[] bytes = MAPPER.writeValueAsBytes(body);
      res.status(status);
      res.header(HeaderValues.CONTENT_TYPE_JSON);
      res.send(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void ok(ServerResponse res, Object body) {
    send(res, Status.OK_200, body);
  }

  /** Answers 200 with the list {@code {"items": […]}}, each element as {@code toJson} writes it. */
  public static <T> void okItems(
      ServerResponse res, Iterable<? extends T> list, Function<? super T, JsonNode> toJson) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("items");
    list.forEach(x -> items.add(toJson.apply(x)));
    ok(res, out);
  }
}
