package io.maestro.server.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.maestro.core.Actor;
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
 * PUT /api/tenants/{id}/members/{subject}}); platform roles only ever come from the token.
 */
public final class Authenticator {
  private final TokenVerifier verifier;
  private final TenantDirectory directory;

  public Authenticator(TokenVerifier verifier, TenantDirectory directory) {
    this.verifier = verifier;
    this.directory = directory;
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
    return withMemberRole(verifier.verify(h.substring(7).trim()));
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
