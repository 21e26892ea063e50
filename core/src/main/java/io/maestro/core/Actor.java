package io.maestro.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who performs an action: the subject of a verified token, its tenant (absent for platform actors
 * and for tokens that carry none), its roles and its ABAC attributes.
 *
 * @param via how the actor was authenticated, e.g. {@code oidc}, {@code dev}, {@code system}
 */
public record Actor(
    String subject,
    Optional<TenantId> tenant,
    List<String> roles,
    Map<String, String> attributes,
    String via) {

  public Actor {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(tenant, "tenant");
    roles = List.copyOf(roles);
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(via, "via");
  }

  /** The actor for work the platform does on its own (checkpoints, timers, recovery). */
  public static Actor system(String component) {
    return new Actor("system:" + component, Optional.empty(), List.of(), Map.of(), "system");
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
