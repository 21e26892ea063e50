package io.maestro.evidence.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.TenantId;
import java.util.function.Consumer;

/**
 * The evidence module's port to the decision log: every authenticated request is one recorded
 * policy decision. The server implements it over the policy module's API.
 */
@FunctionalInterface
public interface AccessLog {
  /**
   * Hands each decision filed under {@code tenant} in {@code window} to {@code sink}, oldest first
   * (by time, then id), as its OPA decision-log event ({@code decision_id}, {@code timestamp},
   * {@code input} when kept, {@code result}, {@code bundles}, {@code input_digest}) and, when the
   * request's answer was recorded, its {@code http_status}.
   */
  void decisions(TenantId tenant, BundleWindow window, Consumer<JsonNode> sink);
}
