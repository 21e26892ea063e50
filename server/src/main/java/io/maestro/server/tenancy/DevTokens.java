package io.maestro.server.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.PolicyInput;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.NewTenant;
import io.maestro.tenancy.Roles;
import io.maestro.tenancy.TenancyErrors;
import io.maestro.tenancy.Tenants;
import io.maestro.tenancy.identity.Claims;
import io.maestro.tenancy.identity.DevIssuer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/dev/token}: the dev issuer's endpoint, for {@code maestro login --dev} and
 * {@code maestro token issue --dev}. It exists on every server but answers only in dev mode and
 * only to callers on the same machine (loopback); anywhere else it is {@code dev_issuer_disabled}.
 *
 * <p>When the token names a tenant that does not exist yet, the tenant is provisioned first (with
 * its receipts, decided by policy for the dev issuer acting as platform admin), so a new user gets
 * going with one command — unless the request says {@code "create": false}, which makes an unknown
 * tenant {@code tenant_not_found}.
 */
public final class DevTokens implements ApiService {
  /** The platform actor the dev issuer provisions tenants as. */
  static final Actor ISSUER_ACTOR =
      new Actor("dev-issuer", Optional.empty(), List.of(Roles.CONDUCTOR_ADMIN), Map.of(), "dev");

  private final Optional<DevIssuer> issuer;
  private final Tenants tenants;
  private final DecisionPoint pdp;
  private final Clock clock;

  public DevTokens(Optional<DevIssuer> issuer, Tenants tenants, DecisionPoint pdp, Clock clock) {
    this.issuer = issuer;
    this.tenants = tenants;
    this.pdp = pdp;
    this.clock = clock;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post(
            "/api/dev/token",
            "public",
            (req, res) -> HttpJson.send(res, Status.CREATED_201, issue(req))));
  }

  private Map<String, Object> issue(ServerRequest req) {
    DevIssuer dev =
        issuer.orElseThrow(
            () ->
                MaestroException.of(
                    TenancyErrors.DEV_ISSUER_DISABLED,
                    "the dev token issuer only runs when the server is in dev mode"));
    if (!loopback(req.remotePeer().address())) {
      throw MaestroException.of(
          TenancyErrors.DEV_ISSUER_DISABLED, "the dev token issuer answers only local callers");
    }
    JsonNode body = HttpJson.read(req);
    Optional<TenantId> tenant = Optional.empty();
    Optional<String> tenantField = HttpJson.optionalText(body, "tenant");
    if (tenantField.isPresent()) {
      String t = tenantField.get();
      if (!TenantId.isValid(t)) {
        throw MaestroException.of(CoreErrors.VALIDATION_FAILED, "not a tenant id: " + t);
      }
      tenant = Optional.of(TenantId.of(t));
    }
    List<String> roles = new ArrayList<>();
    body.path("roles")
        .forEach(
            r -> {
              if (!r.isTextual()) {
                throw MaestroException.of(CoreErrors.VALIDATION_FAILED, "roles lists role names");
              }
              roles.add(r.textValue());
            });
    for (String r : roles) {
      if (!Roles.isKnown(r)) {
        throw MaestroException.of(TenancyErrors.UNKNOWN_ROLE, "unknown role " + r);
      }
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    body.path("attributes")
        .properties()
        .iterator()
        .forEachRemaining(
            e -> {
              if (!Claims.ATTRIBUTES.contains(e.getKey())) {
                throw MaestroException.of(
                    CoreErrors.VALIDATION_FAILED,
                    "unknown attribute "
                        + e.getKey()
                        + "; use "
                        + String.join(", ", Claims.ATTRIBUTES));
              }
              attributes.put(e.getKey(), e.getValue().asText());
            });
    String subject =
        HttpJson.optionalText(body, "subject")
            .orElse(tenant.map(t -> "dev@" + t.value()).orElse("dev@platform"));
    long minutes =
        HttpJson.optionalInteger(body, "ttl_minutes").orElse(DevIssuer.DEFAULT_TTL.toMinutes());
    Duration ttl = Duration.ofMinutes(minutes);

    boolean provisioned = false;
    if (tenant.isPresent() && tenants.find(TenantScope.platform(), tenant.get()).isEmpty()) {
      // "create": false asks for a token of an existing tenant only, so a mistyped tenant is an
      // error rather than a new tenant (the CLI sends it unless told --create).
      if (!body.path("create").asBoolean(true)) {
        throw MaestroException.of(
            TenancyErrors.TENANT_NOT_FOUND, "tenant " + tenant.get().value() + " does not exist");
      }
      provision(tenant.get());
      provisioned = true;
    }
    Actor actor = new Actor(subject, tenant, roles, attributes, "dev");
    String token;
    try {
      token = dev.issue(actor, ttl);
    } catch (IllegalArgumentException e) {
      throw MaestroException.of(CoreErrors.VALIDATION_FAILED, e.getMessage());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("token", token);
    out.put("subject", subject);
    tenant.ifPresent(t -> out.put("tenant", t.value()));
    out.put("roles", roles);
    out.put("expires_at", clock.instant().plus(ttl).toString());
    out.put("tenant_provisioned", provisioned);
    return out;
  }

  private void provision(TenantId id) {
    PolicyInput input =
        PolicyInput.builder("tenant.create", ISSUER_ACTOR)
            .resource("tenant", id.value(), id.value(), null)
            .build();
    Decision d = pdp.decide(input);
    if (!d.allow()) {
      throw new MaestroException(
          TenancyErrors.POLICY_DENIED,
          "policy refuses to provision " + id + ": " + d.reasons(),
          Map.of("decision_id", d.id()),
          false,
          null);
    }
    try {
      tenants.provision(ISSUER_ACTOR, NewTenant.of(id), d);
    } catch (MaestroException e) {
      if (e.code() != TenancyErrors.TENANT_EXISTS) {
        throw e; // a concurrent login provisioned it first: fine
      }
    }
  }

  private static boolean loopback(SocketAddress address) {
    if (address instanceof InetSocketAddress isa) {
      InetAddress a = isa.getAddress();
      return a != null && a.isLoopbackAddress();
    }
    return false;
  }
}
