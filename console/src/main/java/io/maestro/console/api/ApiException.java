package io.maestro.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The API refused: its problem document (status, stable error code, detail, decision id). The
 * console shows it as it is; it never re-decides.
 */
public final class ApiException extends RuntimeException {
  private static final String CROSS_TENANT = "cross_tenant_access";

  private final int status;
  private final String code;
  private final String decisionId;

  public ApiException(int status, String code, String detail, String decisionId) {
    super(detail);
    this.status = status;
    this.code = code;
    this.decisionId = decisionId;
  }

  static ApiException from(int status, String body) {
    try {
      JsonNode p = new ObjectMapper().readTree(body);
      String detail = p.path("detail").asText(p.path("title").asText("HTTP " + status));
      String code = p.path("code").asText("");
      for (JsonNode r : p.path("reasons")) {
        if (CROSS_TENANT.equals(r.path("code").asText())) {
          code = CROSS_TENANT; // the policy's reason is the precise one
        }
      }
      return new ApiException(status, code, detail, p.path("decision_id").asText(""));
    } catch (Exception e) {
      return new ApiException(status, "", "HTTP " + status, "");
    }
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String decisionId() {
    return decisionId;
  }

  /** Another tenant's object: shown as absent, like a missing one. */
  public boolean notFound() {
    return status == 404 || CROSS_TENANT.equals(code);
  }
}
