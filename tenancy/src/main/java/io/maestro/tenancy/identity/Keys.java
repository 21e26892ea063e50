package io.maestro.tenancy.identity;

import com.nimbusds.jose.jwk.JWK;
import java.util.List;
import java.util.Optional;

/** Key selection shared by the key sources. */
final class Keys {
  private Keys() {}

  /**
   * The key whose id is {@code kid}; without a kid, the only signing key in the set (a set with
   * several keys and a token without kid is ambiguous and selects nothing).
   */
  static Optional<JWK> select(List<JWK> keys, String kid) {
    List<JWK> signing =
        keys.stream()
            .filter(k -> k.getKeyUse() == null || "sig".equals(k.getKeyUse().identifier()))
            .toList();
    if (kid == null) {
      return signing.size() == 1 ? Optional.of(signing.get(0)) : Optional.empty();
    }
    return signing.stream().filter(k -> kid.equals(k.getKeyID())).findFirst();
  }
}
