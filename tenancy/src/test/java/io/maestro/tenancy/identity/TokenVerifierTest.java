package io.maestro.tenancy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.tenancy.TenancyErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
  static final String ISS = "https://idp.example";
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  static RSAKey rsa;
  static ECKey ec;
  static ECKey stranger;

  final MutableClock clock = new MutableClock(NOW);
  TokenVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    stranger = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
  }

  TokenVerifier verifier() {
    if (verifier == null) {
      KeySource keys = new StaticKeys(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())));
      verifier = new TokenVerifier(List.of(new TrustedIssuer(ISS, "maestro", keys, "oidc")), clock);
    }
    return verifier;
  }

  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISS)
        .audience("maestro")
        .subject("alice@acme")
        .expirationTime(Date.from(NOW.plusSeconds(600)))
        .claim("tenant_id", "acme")
        .claim("roles", List.of("operator", "workflow_author"))
        .claim("region", "EU")
        .claim("risk_profile", "high");
  }

  static String es256(ECKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  @Test
  void verify_mapsClaimsToAnActor() throws Exception {
    Actor a = verifier().verify(es256(ec, claims().build()));
    assertThat(a.subject()).isEqualTo("alice@acme");
    assertThat(a.tenant()).contains(TenantId.of("acme"));
    assertThat(a.roles()).containsExactly("operator", "workflow_author");
    assertThat(a.attributes()).isEqualTo(Map.of("region", "EU", "risk_profile", "high"));
    assertThat(a.via()).isEqualTo("oidc");
  }

  @Test
  void verify_acceptsRsaTokens() throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims().build());
    jwt.sign(new RSASSASigner(rsa));
    assertThat(verifier().verify(jwt.serialize()).subject()).isEqualTo("alice@acme");
  }

  @Test
  void verify_tokenWithoutTenant_isAPlatformOrTenantlessActor() throws Exception {
    Actor a = verifier().verify(es256(ec, claims().claim("tenant_id", null).build()));
    assertThat(a.tenant()).isEmpty();
  }

  @Test
  void verify_rejectsAnotherKeyWithTheSameKid() throws Exception {
    assertInvalid(es256(stranger, claims().build()), "signature does not verify");
  }

  @Test
  void verify_rejectsExpiredTokensBeyondSkew() throws Exception {
    String token = es256(ec, claims().expirationTime(Date.from(NOW.minusSeconds(30))).build());
    assertThat(verifier().verify(token).subject()).as("within one minute of skew").isNotNull();
    clock.set(NOW.plusSeconds(3600));
    assertInvalid(token, "expired");
  }

  @Test
  void verify_rejectsWrongAudienceIssuerAndMissingExpiry() throws Exception {
    assertInvalid(es256(ec, claims().audience("other").build()), "aud");
    assertInvalid(es256(ec, claims().issuer("https://evil.example").build()), "issuer");
    assertInvalid(es256(ec, claims().expirationTime(null).build()), "exp");
    assertInvalid(
        es256(ec, claims().notBeforeTime(Date.from(NOW.plus(Duration.ofHours(1)))).build()), "nbf");
  }

  @Test
  void verify_rejectsUnsignedAndHmacTokens() throws Exception {
    assertInvalid(new PlainJWT(claims().build()).serialize(), "not a signed JWT");
    SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
    hs.sign(new MACSigner(new byte[32]));
    assertInvalid(hs.serialize(), "HS256");
  }

  @Test
  void verify_rejectsMalformedClaims() throws Exception {
    assertInvalid(es256(ec, claims().claim("tenant_id", "Not A Tenant").build()), "tenant_id");
    assertInvalid(es256(ec, claims().subject(null).build()), "sub");
    assertInvalid(es256(ec, claims().claim("region", 42).build()), "region");
    assertInvalid("garbage", "not a signed JWT");
    assertInvalid("", "no bearer token");
  }

  @Test
  void verify_acceptsSpaceSeparatedRoles() throws Exception {
    Actor a = verifier().verify(es256(ec, claims().claim("roles", "operator read_only").build()));
    assertThat(a.roles()).containsExactly("operator", "read_only");
  }

  @Test
  void verify_unknownKid_isRejected() throws Exception {
    ECKey other = new ECKeyGenerator(Curve.P_256).keyID("ec-2").generate();
    assertInvalid(es256(other, claims().build()), "does not publish");
  }

  void assertInvalid(String token, String detail) {
    assertThatThrownBy(() -> verifier().verify(token))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining(detail)
        .satisfies(
            e ->
                assertThat(((InvalidTokenException) e).code())
                    .isEqualTo(TenancyErrors.INVALID_TOKEN));
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
