package io.maestro.server.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
    String type =
        req.headers().first(HeaderNames.CONTENT_TYPE).orElse("application/json").toLowerCase();
    if (!type.startsWith("application/json") && !type.contains("+json")) {
      throw MaestroException.of(
          CoreErrors.UNSUPPORTED_MEDIA_TYPE,
          "send the body as application/json (got " + type + ")");
    }
    byte[] body = readBounded(req);
    if (body.length == 0) {
      return MAPPER.createObjectNode();
    }
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw MaestroException.of(CoreErrors.MALFORMED_JSON, "the body is not valid JSON: " + msg);
    }
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
}
