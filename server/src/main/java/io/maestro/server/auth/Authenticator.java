package io.maestro.server.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.maestro.core.Actor;
import io.maestro.lifecycle.support.Impersonations;
import io.maestro.tenancy.Roles;
import io.maestro.tenancy.TenantDirectory;
import io.maestro.tenancy.identity.InvalidTokenException;
import io.maestro.tenancy.identity.TokenVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns {@code Authorization: Bearer <jwt>} into an {@link Actor}. The token's roles are merged
 * with the tenant role the subject holds as a member of the token's tenant (granted through {@code
 * PUT /api/tenants/{id}/members/{subject}}); platform roles only ever come from the token. A
 * support engineer's request that names an impersonation session ({@value #IMPERSONATION_HEADER})
 * acts as the session's member while the session is in force.
 */
public final class Authenticator {
  /** Names the impersonation session a support engineer's request acts under (ADR 0044). */
  public static final String IMPERSONATION_HEADER = "X-Maestro-Impersonation";

  private final TokenVerifier verifier;
  private final TenantDirectory directory;
  private final Impersonations impersonations;

  public Authenticator(
      TokenVerifier verifier, TenantDirectory directory, Impersonations impersonations) {
    this.verifier = verifier;
    this.directory = directory;
    this.impersonations = impersonations;
  }

  public TokenVerifier verifier() {
    return verifier;
  }

  /**
   * @throws InvalidTokenException (401) when the header is missing or the token is not acceptable
   */
  public Actor authenticate(ServerRequest req) {
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isEmpty()) {
      throw new InvalidTokenException("send a bearer token: Authorization: Bearer <token>");
    }
    String h = header.get().trim();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new InvalidTokenException("the Authorization header must use the Bearer scheme");
    }
    Actor actor = withMemberRole(verifier.verify(h.substring(7).trim()));
    Optional<String> session =
        req.headers()
            .first(HeaderNames.create(IMPERSONATION_HEADER))
            .map(String::trim)
            .filter(s -> !s.isEmpty());
    // A session in force acts as the member, with the role the member holds now; any other
    // session leaves the caller as it is, marked, and the policy refuses what it asks.
    return session.isEmpty()
        ? actor
        : impersonations.actAs(actor, session.get(), directory::memberRole);
  }

  Actor withMemberRole(Actor actor) {
    if (actor.tenant().isEmpty()) {
      return actor;
    }
    Optional<String> role = directory.memberRole(actor.tenant().get(), actor.subject());
    if (role.isEmpty() || actor.roles().contains(role.get()) || !Roles.isTenantRole(role.get())) {
      return actor;
    }
    List<String> roles = new ArrayList<>(actor.roles());
    roles.add(role.get());
    return new Actor(actor.subject(), actor.tenant(), roles, actor.attributes(), actor.via());
  }
}
