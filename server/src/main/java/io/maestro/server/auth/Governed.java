package io.maestro.server.auth;

import io.helidon.webserver.http.ServerRequest;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.policy.PolicyInput;
import io.maestro.store.TenantScope;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@link PolicyGate} established about a request before its handler runs: the
 * authenticated actor (with the roles it holds as a member merged in), the policy decision that
 * allowed the action, and the tenant scope the handler's transactions must use.
 *
 * <p>The scope is the actor's own tenant for tenant actors, whatever the request names, so a
 * handler that looks up another tenant's resource finds nothing (and on PostgreSQL row-level
 * security says the same). Platform actors get the tenant they target, or the platform scope when
 * they target none.
 *
 * @param input what the decision was made on, for a handler that must ask again with what it
 *     learned from the body (see {@link PolicyInput#withRequest})
 * @param tenant the tenant the request acts in, empty for platform-wide requests
 */
public record Governed(
    Actor actor,
    Decision decision,
    PolicyInput input,
    TenantScope scope,
    Optional<TenantId> tenant) {

  public Governed {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(tenant, "tenant");
  }

  /** The governance of the request being served; every non-public route has one. */
  public static Governed of(ServerRequest req) {
    return req.context()
        .get(Governed.class)
        .orElseThrow(
            () ->
                MaestroException.of(
                    CoreErrors.INTERNAL, "the route was served without the policy gate"));
  }

  /** The tenant the request acts in; {@code validation_failed} for a platform-wide request. */
  public TenantId requireTenant() {
    return tenant.orElseThrow(
        () ->
            MaestroException.of(
                CoreErrors.VALIDATION_FAILED,
                "name the tenant to act in with the X-Maestro-Tenant header"));
  }
}
