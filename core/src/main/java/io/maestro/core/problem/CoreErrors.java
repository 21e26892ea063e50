package io.maestro.core.problem;

/** Error codes every module may raise. */
public final class CoreErrors {
  public static final ErrorCode BAD_REQUEST = new ErrorCode("bad_request", 400, "Bad request");
  public static final ErrorCode MALFORMED_JSON =
      new ErrorCode("malformed_json", 400, "The request body is not valid JSON");
  public static final ErrorCode VALIDATION_FAILED =
      new ErrorCode("validation_failed", 422, "The request is not valid");
  public static final ErrorCode UNAUTHENTICATED =
      new ErrorCode("unauthenticated", 401, "Authentication required");
  public static final ErrorCode FORBIDDEN = new ErrorCode("forbidden", 403, "Forbidden");
  public static final ErrorCode NOT_FOUND = new ErrorCode("not_found", 404, "Not found");
  public static final ErrorCode ROUTE_NOT_FOUND =
      new ErrorCode("route_not_found", 404, "No such endpoint");
  public static final ErrorCode METHOD_NOT_ALLOWED =
      new ErrorCode("method_not_allowed", 405, "Method not allowed");
  public static final ErrorCode CONFLICT = new ErrorCode("conflict", 409, "Conflict");
  public static final ErrorCode PAYLOAD_TOO_LARGE =
      new ErrorCode("payload_too_large", 413, "The request body is too large");
  public static final ErrorCode UNSUPPORTED_MEDIA_TYPE =
      new ErrorCode("unsupported_media_type", 415, "Unsupported content type");
  public static final ErrorCode URI_TOO_LONG =
      new ErrorCode("uri_too_long", 414, "The request line is too long");
  public static final ErrorCode HEADERS_TOO_LARGE =
      new ErrorCode("headers_too_large", 431, "The request headers are too large");
  public static final ErrorCode INTERNAL = new ErrorCode("internal_error", 500, "Internal error");
  public static final ErrorCode UNAVAILABLE =
      new ErrorCode("service_unavailable", 503, "Service unavailable");
  public static final ErrorCode SERVER_BUSY =
      new ErrorCode("server_busy", 503, "Too many requests are waiting for the database");

  private CoreErrors() {}
}
