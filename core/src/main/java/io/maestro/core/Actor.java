package io.maestro.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who performs an action: the subject of a verified token, its tenant (absent for platform actors
 * and for tokens that carry none), its roles and its ABAC attributes.
 *
 * @param via how the actor was authenticated, e.g. {@code oidc}, {@code dev}, {@code system}; for a
 *     tenant user acted as by a support engineer, {@link Impersonation#via} (both identities)
 * @param impersonation present when the request named an impersonation session: the tenant user
 *     acted as (active) or the support engineer whose session is not active (refused by policy)
 */
public record Actor(
    String subject,
    Optional<TenantId> tenant,
    List<String> roles,
    Map<String, String> attributes,
    String via,
    Optional<Impersonation> impersonation) {

  public Actor {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(tenant, "tenant");
    roles = List.copyOf(roles);
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(impersonation, "impersonation");
  }

  /** An actor acting as itself. */
  public Actor(
      String subject,
      Optional<TenantId> tenant,
      List<String> roles,
      Map<String, String> attributes,
      String via) {
    this(subject, tenant, roles, attributes, via, Optional.empty());
  }

  /** The actor for work the platform does on its own (checkpoints, timers, recovery). */
  public static Actor system(String component) {
    return new Actor("system:" + component, Optional.empty(), List.of(), Map.of(), "system");
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
