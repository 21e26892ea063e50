package io.maestro.tenancy.identity;

import java.util.Objects;

/**
 * An issuer whose tokens the server accepts: the exact {@code iss} value, the audience a token must
 * name, where its keys come from, and the name the resulting actors carry in {@code via} ({@code
 * oidc} or {@code dev}).
 */
public record TrustedIssuer(String issuer, String audience, KeySource keys, String via) {
  public TrustedIssuer {
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("a trusted issuer needs an issuer");
    }
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("a trusted issuer needs an audience");
    }
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(via, "via");
  }
}
