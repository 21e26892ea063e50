package io.maestro.tenancy.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.maestro.core.Actor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies bearer JWTs and turns them into {@link Actor}s. A token is accepted only when it is a
 * JWS signed with an asymmetric algorithm ({@code none} and HMAC are refused: a shared secret would
 * let anyone holding it mint tokens), its {@code iss} is a {@link TrustedIssuer}, its signature
 * verifies with that issuer's key for the token's {@code kid}, it names the issuer's audience, and
 * it is within {@code exp} / {@code nbf} (with one minute of clock skew). {@code exp} is required.
 *
 * <p>A verified token is remembered until it expires (bounded; the cache is dropped when full), so
 * a client sending the same token on every request pays for one signature check, not one per
 * request. Thread-safe.
 */
public final class TokenVerifier {
  private static final Set<JWSAlgorithm> ALLOWED =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA,
          JWSAlgorithm.Ed25519);
  private static final Duration SKEW = Duration.ofMinutes(1);
  private static final int CACHE_LIMIT = 10_000;

  private final Map<String, TrustedIssuer> issuers;
  private final Clock clock;
  private final ConcurrentHashMap<String, Verified> cache = new ConcurrentHashMap<>();

  public TokenVerifier(List<TrustedIssuer> issuers, Clock clock) {
    Map<String, TrustedIssuer> byName = new LinkedHashMap<>();
    for (TrustedIssuer i : issuers) {
      if (byName.put(i.issuer(), i) != null) {
        throw new IllegalArgumentException("issuer configured twice: " + i.issuer());
      }
    }
    this.issuers = Map.copyOf(byName);
    this.clock = clock;
  }

  /** The issuers this verifier trusts, by {@code iss}. */
  public Set<String> issuers() {
    return issuers.keySet();
  }

  /**
   * @param token the compact JWS from {@code Authorization: Bearer …}
   * @return the actor the token names
   * @throws InvalidTokenException when the token is not acceptable; the detail says why
   */
  public Actor verify(String token) {
    if (token == null || token.isBlank()) {
      throw new InvalidTokenException("no bearer token");
    }
    Instant now = clock.instant();
    Verified hit = cache.get(token);
    if (hit != null) {
      if (now.isAfter(hit.expires().plus(SKEW))) {
        cache.remove(token);
        throw new InvalidTokenException("the token has expired");
      }
      return hit.actor();
    }
    Verified v = verifyUncached(token, now);
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear(); // crude but bounded; a full cache only costs re-verification
    }
    cache.put(token, v);
    return v.actor();
  }

  private Verified verifyUncached(String token, Instant now) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token.trim());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidTokenException("the bearer token is not a signed JWT");
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!ALLOWED.contains(alg)) {
      throw new InvalidTokenException("tokens signed with " + alg + " are not accepted");
    }
    TrustedIssuer issuer = claims.getIssuer() == null ? null : issuers.get(claims.getIssuer());
    if (issuer == null) {
      throw new InvalidTokenException("the token's issuer is not trusted");
    }
    String kid = jwt.getHeader().getKeyID();
    Optional<JWK> key = issuer.keys().find(kid);
    if (key.isEmpty()) {
      throw new InvalidTokenException("the token is signed with a key the issuer does not publish");
    }
    try {
      JWSVerifier verifier = verifier(key.get());
      if (!verifier.supportedJWSAlgorithms().contains(alg) || !jwt.verify(verifier)) {
        throw new InvalidTokenException("the token's signature does not verify");
      }
    } catch (JOSEException e) {
      throw new InvalidTokenException("the token's signature does not verify");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new InvalidTokenException("the token has no expiry (exp)");
    }
    if (now.isAfter(exp.toInstant().plus(SKEW))) {
      throw new InvalidTokenException("the token has expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(SKEW).isBefore(nbf.toInstant())) {
      throw new InvalidTokenException("the token is not valid yet (nbf)");
    }
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(issuer.audience())) {
      throw new InvalidTokenException("the token is not meant for this server (aud)");
    }
    return new Verified(Claims.toActor(claims, issuer.via()), exp.toInstant());
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException {
    return switch (key) {
      case RSAKey rsa -> new RSASSAVerifier(rsa);
      case ECKey ec -> new ECDSAVerifier(ec);
      case OctetKeyPair okp -> new Ed25519Verifier(okp.toPublicJWK());
      default -> throw new JOSEException("unsupported key type " + key.getKeyType());
    };
  }

  private record Verified(Actor actor, Instant expires) {}
}
