package io.maestro.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.logging.LogFields;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import io.maestro.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place errors become HTTP responses: RFC 9457 {@code application/problem+json} with {@code
 * type}, {@code title}, {@code status}, {@code detail}, a stable {@code code}, the request id and
 * any extension members (policy {@code reasons}, {@code decision_id}). Unexpected exceptions are
 * logged with their stack trace and answered with a generic 500: internals never leak to the
 * caller.
 */
public final class Problems {
  private static final Logger LOG = Logger.getLogger(Problems.class.getName());
  public static final String TYPE_BASE = "https://maestro.dev/problems/";

  private Problems() {}

  public static void handle(ServerRequest req, ServerResponse res, Throwable error) {
    if (error instanceof StoreException se) {
      LOG.log(
          Level.WARNING,
          "database error on "
              + req.prologue().method().text()
              + " "
              + req.path().path()
              + ": "
              + se.getMessage());
    }
    boolean scim = ScimErrors.applies(req.path().path());
    if (error instanceof MaestroException me) {
      send(res, me.code(), me.detail(), me.extensions(), scim);
      return;
    }
    LOG.log(
        Level.SEVERE,
        "unhandled error on " + req.prologue().method().text() + " " + req.path().path(),
        error);
    send(
        res,
        CoreErrors.INTERNAL,
        "an internal error occurred; quote the request id",
        Map.of(),
        scim);
  }

  /**
   * Problem documents for the requests Helidon answers itself, before any route runs: a request
   * line or headers too long, a malformed prologue, a body over the transport's limit.
   */
  public static DirectHandlers directHandlers() {
    DirectHandler handler =
        (request, event, status, headers, message) -> {
          ErrorCode code =
              switch (status.code()) {
                case 413 -> CoreErrors.PAYLOAD_TOO_LARGE;
                case 414 -> CoreErrors.URI_TOO_LONG;
                case 431 -> CoreErrors.HEADERS_TOO_LARGE;
                case 500 -> CoreErrors.INTERNAL;
                default ->
                    status.code() == 400
                        ? CoreErrors.BAD_REQUEST
                        : new ErrorCode("bad_request", status.code(), "Bad request");
              };
          String detail =
              switch (status.code()) {
                case 414 -> "the request line is too long";
                case 431 -> "the request headers are too large";
                case 500 -> "an internal error occurred";
                default -> "the request could not be read: " + clean(message);
              };
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("type", TYPE_BASE + code.code());
          body.put("title", code.title());
          body.put("status", status.code());
          body.put("detail", detail);
          body.put("code", code.code());
          boolean scim = ScimErrors.applies(request.path());
          ErrorCode answered =
              code.status() == status.code()
                  ? code
                  : new ErrorCode(code.code(), status.code(), code.title());
          try {
            return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(
                    HeaderNames.CONTENT_TYPE,
                    scim ? ScimErrors.CONTENT_TYPE : "application/problem+json")
                .entity(
                    HttpJson.MAPPER.writeValueAsBytes(
                        scim ? ScimErrors.body(answered, detail, Map.of(), null) : body))
                .build();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    DirectHandlers.Builder b = DirectHandlers.builder();
    for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
      b.addHandler(type, handler);
    }
    return b.build();
  }

  /** Helidon's message, on one line and without control characters, bounded. */
  private static String clean(String message) {
    String m = message == null ? "" : message.replaceAll("\\p{Cntrl}", " ").strip();
    return m.length() > 200 ? m.substring(0, 200) + "…" : m;
  }

  public static void send(
      ServerResponse res, ErrorCode code, String detail, Map<String, Object> extensions) {
    send(res, code, detail, extensions, false);
  }

  /**
   * As {@link #send(ServerResponse, ErrorCode, String, Map)}; in SCIM's format when {@code scim}.
   */
  static void send(
      ServerResponse res,
      ErrorCode code,
      String detail,
      Map<String, Object> extensions,
      boolean scim) {
    if (scim) {
      write(
          res,
          code,
          ScimErrors.CONTENT_TYPE,
          ScimErrors.body(code, detail, extensions, LogFields.requestId()));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_BASE + code.code());
    body.put("title", code.title());
    body.put("status", code.status());
    body.put("detail", detail);
    body.put("code", code.code());
    String requestId = LogFields.requestId();
    if (requestId != null) {
      body.put("request_id", requestId);
    }
    extensions.forEach(body::putIfAbsent);
    write(res, code, "application/problem+json", body);
  }

  private static void write(ServerResponse res, ErrorCode code, String type, Object body) {
    try {
      byte[] bytes = HttpJson.MAPPER.writeValueAsBytes(body);
      if (res.isSent()) {
        return; // a streamed response failed midway; nothing more can be said to the client
      }
      res.status(Status.create(code.status()));
      res.header(HeaderNames.CONTENT_TYPE, type);
      res.send(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
