package io.maestro.tenancy.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.util.List;
import java.util.Optional;

/** A fixed set of public keys, e.g. the dev issuer's own key. */
public final class StaticKeys implements KeySource {
  private final List<JWK> keys;

  public StaticKeys(JWKSet set) {
    this.keys = List.copyOf(set.toPublicJWKSet().getKeys());
  }

  @Override
  public Optional<JWK> find(String kid) {
    return Keys.select(keys, kid);
  }
}
