package io.maestro.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.problem.ErrorCode;
import java.util.Map;
import java.util.Optional;

/**
 * The SCIM dialect of {@link Problems}: on {@code /scim/v2} every error — the route's own, the
 * policy's refusal, a missing or bad token, a malformed body, an unknown endpoint — is the error
 * response of RFC 7644 §3.12 ({@code application/scim+json}, {@code schemas} the SCIM error
 * message, {@code status} as a string, {@code scimType} for a 400 or 409, {@code detail}), because
 * identity providers parse that and nothing else. What the problem document says beyond it — the
 * stable {@code code}, the {@code request_id}, a refusal's {@code decision_id} and policy {@code
 * reasons} — travels in the extension {@value #EXTENSION}, named in {@code schemas} as RFC 7643
 * §3.3 does for extensions.
 */
public final class ScimErrors {
  public static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
  public static final String EXTENSION = "urn:maestro:params:scim:api:messages:2.0:Error";
  public static final String CONTENT_TYPE = "application/scim+json";
  static final String PREFIX = "/scim/v2";

  private ScimErrors() {}

  /** Whether errors on {@code path} are answered in SCIM's format. */
  public static boolean applies(String path) {
    return path != null && (path.equals(PREFIX) || path.startsWith(PREFIX + "/"));
  }

  /**
   * The SCIM error document for {@code code}; {@code extensions} are the problem's members ({@code
   * scimType} among them when the route named one).
   */
  public static ObjectNode body(
      ErrorCode code, String detail, Map<String, Object> extensions, String requestId) {
    ObjectNode o = HttpJson.MAPPER.createObjectNode();
    o.putArray("schemas").add(ERROR_SCHEMA).add(EXTENSION);
    o.put("status", Integer.toString(code.status()));
    scimType(code, extensions).ifPresent(t -> o.put("scimType", t));
    o.put("detail", detail);
    ObjectNode ext = o.putObject(EXTENSION);
    ext.put("code", code.code());
    ext.put("title", code.title());
    if (requestId != null) {
      ext.put("request_id", requestId);
    }
    extensions.forEach(
        (k, v) -> {
          if (!k.equals("scimType")) {
            ext.set(k, HttpJson.MAPPER.valueToTree(v));
          }
        });
    return o;
  }

  /**
   * RFC 7644 §3.12 defines {@code scimType} for 400 (and {@code uniqueness} for 409): the route's
   * own when it named one, else the one that fits the stable code; none for other statuses.
   */
  static Optional<String> scimType(ErrorCode code, Map<String, Object> extensions) {
    Object named = extensions.get("scimType");
    if (named instanceof String s && !s.isBlank()) {
      return Optional.of(s);
    }
    return switch (code.code()) {
      case "scim_invalid_filter" -> Optional.of("invalidFilter");
      case "scim_conflict" -> Optional.of("uniqueness");
      case "malformed_json", "bad_request", "unsupported_media_type" ->
          Optional.of("invalidSyntax");
      default -> code.status() == 400 ? Optional.of("invalidValue") : Optional.empty();
    };
  }
}
