package io.maestro.tenancy.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The token claims Maestro reads, and how they become an {@link Actor}: {@code sub}, {@code
 * tenant_id} (absent for platform actors and for tokens made to test denials), {@code roles} (an
 * array of strings, or one space-separated string as some providers emit), and the ABAC attributes
 * {@link #ATTRIBUTES}.
 */
public final class Claims {
  public static final String TENANT = "tenant_id";
  public static final String ROLES = "roles";

  /** The ABAC attributes copied from the token into the actor (and the policy input). */
  public static final List<String> ATTRIBUTES =
      List.of(
          "environment",
          "region",
          "risk_profile",
          "business_unit",
          "data_sensitivity",
          "worker_queues");

  private Claims() {}

  /**
   * @throws InvalidTokenException when a claim is present but malformed
   */
  public static Actor toActor(JWTClaimsSet claims, String via) {
    String sub = claims.getSubject();
    if (sub == null || sub.isBlank() || sub.length() > 200) {
      throw new InvalidTokenException("the token has no usable sub claim");
    }
    Optional<TenantId> tenant = Optional.empty();
    Object t = claims.getClaim(TENANT);
    if (t != null) {
      if (!(t instanceof String s) || !TenantId.isValid(s)) {
        throw new InvalidTokenException("the token's tenant_id is not a valid tenant id");
      }
      tenant = Optional.of(TenantId.of(s));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String name : ATTRIBUTES) {
      Object v = claims.getClaim(name);
      if (v == null) {
        continue;
      }
      if (!(v instanceof String s) || s.length() > 200) {
        throw new InvalidTokenException("the token's " + name + " claim must be a short string");
      }
      attributes.put(name, s);
    }
    return new Actor(sub, tenant, roles(claims), attributes, via);
  }

  private static List<String> roles(JWTClaimsSet claims) {
    Object raw = claims.getClaim(ROLES);
    if (raw == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (raw instanceof String s) {
      for (String r : s.trim().split("\\s+")) {
        if (!r.isEmpty()) {
          out.add(r);
        }
      }
      return out;
    }
    try {
      List<String> list = claims.getStringListClaim(ROLES);
      for (String r : list) {
        if (r != null && !r.isBlank()) {
          out.add(r);
        }
      }
      return out;
    } catch (ParseException e) {
      throw new InvalidTokenException("the token's roles claim must be a list of strings");
    }
  }
}
