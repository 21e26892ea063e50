package io.maestro.server.auth;

import io.maestro.core.Decision;
import java.util.Optional;

/**
 * Where the gate reports how each request it decided was answered: the decision, the tenants its
 * input named and the HTTP status. The server records it beside the decision ({@link
 * PolicyRuntime#record}); must not throw.
 */
@FunctionalInterface
public interface RequestResults {
  /**
   * @param asked the tenant whose profile governed the decision ({@code input.tenant.id}), if any
   * @param resourceTenant the tenant the input names as the resource's ({@code
   *     input.resource.tenant}), or else the actor's; null when neither
   */
  void record(Decision decision, Optional<String> asked, String resourceTenant, int status);

  /** Records nothing (tests of the gate alone). */
  RequestResults NONE = (decision, asked, resourceTenant, status) -> {};
}
