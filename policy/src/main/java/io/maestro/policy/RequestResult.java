package io.maestro.policy;

import java.util.Objects;

/**
 * The result of one authenticated request, recorded beside the decision that admitted or refused
 * it: the HTTP status it was answered with. Nothing else of the request (headers, body, token) is
 * kept.
 *
 * @param tenantId the tenant the decision is filed under (as in {@code policy_decisions})
 * @param decisionId the gate's decision for the request
 * @param status the HTTP status of the response
 */
public record RequestResult(String tenantId, String decisionId, int status) {
  public RequestResult {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(decisionId, "decisionId");
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
  }
}
