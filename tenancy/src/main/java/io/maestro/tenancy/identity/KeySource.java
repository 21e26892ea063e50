package io.maestro.tenancy.identity;

import com.nimbusds.jose.jwk.JWK;
import java.util.Optional;

/**
 * Where the verification keys of one token issuer come from. Implementations are thread-safe and
 * answer from memory on the hot path; a source backed by a remote JWKS may fetch when asked for a
 * key id it has not seen (the issuer rotated its keys).
 */
public interface KeySource {
  /**
   * The key with id {@code kid}, or, when {@code kid} is null, the only key the issuer publishes.
   * Empty when no such key exists even after a refresh.
   */
  Optional<JWK> find(String kid);
}
