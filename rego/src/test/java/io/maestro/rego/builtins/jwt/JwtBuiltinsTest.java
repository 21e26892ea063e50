package io.maestro.rego.builtins.jwt;

import static io.maestro.rego.builtins.net.BuiltinHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.net.BuiltinHarness;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtBuiltinsTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private final BuiltinHarness jwt = new BuiltinHarness(new JwtBuiltins(), NOW);

  // RFC 7515 appendix A.1 key.
  private static final String HS_JWK =
      "{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}";

  @Test
  void encodeSignRaw_reproducesRfc7515AppendixA1() {
    Value token =
        jwt.call(
            "io.jwt.encode_sign_raw",
            "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}",
            "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}",
            HS_JWK);
    assertThat(token)
        .isEqualTo(
            StringValue.of(
                "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
  }

  @Test
  void encodeSign_marshalsLikeGoWithSortedKeysAndPlainIntegers() {
    Value token =
        jwt.call(
            "io.jwt.encode_sign",
            Map.of("alg", "HS256", "typ", "JWT"),
            Map.of(
                "iat", NumberValue.of(new BigDecimal("1.678E+9")),
                "exp", NumberValue.of(new BigDecimal("1678000300.0"))),
            json(HS_JWK));
    assertThat(token)
        .isEqualTo(
            StringValue.of(
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE2NzgwMDAzMDAsImlhdCI6MTY3ODAwMDAwMH0.ZNCOrxE5MNdrqzHmiQ7c3so0IvGqHddBZFWe3kBaQHg"));
  }

  @Test
  void encodeSign_ed25519IsDeterministic() {
    Value token =
        jwt.call(
            "io.jwt.encode_sign",
            Map.of("alg", "EdDSA", "typ", "JWT"),
            json(
                "{\"aud\": [\"bob\", \"saul\"], \"exp\": 1300819380, \"http://example.com/is_root\": true, \"iss\": \"joe\", \"privateParams\": {\"private_one\": \"one\", \"private_two\": \"two\"}}"),
            json(
                "{\"kty\": \"OKP\", \"alg\": \"EdDSA\", \"crv\": \"Ed25519\", \"x\": \"wEZFfoAj1rFKTLOOmjJjVZlCHwksuvMb2I5y_hg70E8\", \"d\": \"9XI34uQzYUJfWhDZf_0nYsLMBRVu8a6dFsy60P8uugk\"}"));
    assertThat(((StringValue) token).value())
        .endsWith(
            ".T_X7SzKEehTnRdgYrDobpKO-EqZ0LW3Y-idx16wNHXCL5aiR24h2Ei0pWRHG2X2BYomwbvNwyxPcasgHqs_eBA");
  }

  @Test
  void encodeSign_reportsHeaderAndPayloadErrorsLikeOpa() {
    assertThatThrownBy(
            () -> jwt.call("io.jwt.encode_sign_raw", "{\"alg\":\"dummy\"}", "{}", HS_JWK))
        .hasMessageContaining("unknown JWS algorithm: dummy");
    assertThatThrownBy(() -> jwt.call("io.jwt.encode_sign_raw", "{}", "{}", HS_JWK))
        .hasMessageContaining("missing or invalid 'alg' header: jwsbb: header \"alg\" not found");
    assertThatThrownBy(() -> jwt.call("io.jwt.encode_sign_raw", "", "{}", HS_JWK))
        .hasMessageContaining("cannot parse empty string");
    assertThatThrownBy(
            () ->
                jwt.call(
                    "io.jwt.encode_sign_raw", "{\"typ\":\"JWT\",\"alg\":\"HS256\"}", "e", HS_JWK))
        .hasMessageContaining("type is JWT but payload is not JSON");
    assertThat(
            jwt.call(
                "io.jwt.encode_sign_raw",
                "{\"typ\":\"text/plain\",\"alg\":\"HS256\"}",
                "e",
                HS_JWK))
        .isInstanceOf(StringValue.class);
  }

  @Test
  void decode_returnsHeaderClaimsAndHexSignature() {
    Value out =
        jwt.call(
            "io.jwt.decode",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY");
    assertThat(out)
        .isEqualTo(
            json(
                "[{\"alg\": \"HS256\", \"typ\": \"JWT\"}, {\"iss\": \"opa\", \"sub\": \"0\"},"
                    + " \"5e65682e81c8de9c4cb4c3bf59138d3122731940cff690e3cbc269d3fb5d4576\"]"));
  }

  @Test
  void decode_reportsEncodingErrorsWithGoOffsets() {
    assertThatThrownBy(
            () ->
                jwt.call(
                    "io.jwt.decode",
                    "eyJhbGciOiJIU^%zI1NiI+sInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVo"))
        .hasMessageContaining(
            "JWT header had invalid encoding: illegal base64 data at input byte 13");
    assertThatThrownBy(() -> jwt.call("io.jwt.verify_hs256", "a.b", "secret"))
        .hasMessageContaining("encoded JWT must have 3 sections, found 2");
  }

  @Test
  void verifyHs256_checksTheMac() {
    String token =
        ((StringValue)
                jwt.call(
                    "io.jwt.encode_sign_raw",
                    "{\"alg\":\"HS256\"}",
                    "{\"a\":1}",
                    "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}"))
            .value();
    assertThat(jwt.call("io.jwt.verify_hs256", token, "secret")).isEqualTo(BooleanValue.TRUE);
    assertThat(jwt.call("io.jwt.verify_hs256", token, "other")).isEqualTo(BooleanValue.FALSE);
  }

  @Test
  void decodeVerify_checksSignatureTimeIssuerAndAudience() {
    String key = "{\"kty\":\"oct\",\"k\":\"NDI\"}";
    long now = NOW.getEpochSecond();
    String token =
        ((StringValue)
                jwt.call(
                    "io.jwt.encode_sign",
                    Map.of("alg", "HS256"),
                    Map.of("iss", "maestro", "aud", "api", "exp", now + 60, "nbf", now - 60),
                    json(key)))
            .value();
    ArrayValue ok =
        (ArrayValue) jwt.call("io.jwt.decode_verify", token, Map.of("secret", "42", "aud", "api"));
    assertThat(ok.get(0)).isEqualTo(BooleanValue.TRUE);
    assertThat(
            ((ArrayValue) jwt.call("io.jwt.decode_verify", token, Map.of("secret", "42"))).get(0))
        .as("a token with an audience needs the aud constraint")
        .isEqualTo(BooleanValue.FALSE);
    assertThat(
            ((ArrayValue)
                    jwt.call("io.jwt.decode_verify", token, Map.of("secret", "43", "aud", "api")))
                .get(0))
        .isEqualTo(BooleanValue.FALSE);
    long later = (now + 120) * 1_000_000_000L;
    assertThat(
            ((ArrayValue)
                    jwt.call(
                        "io.jwt.decode_verify",
                        token,
                        Map.of("secret", "42", "aud", "api", "time", later)))
                .get(0))
        .isEqualTo(BooleanValue.FALSE);
    assertThat(
            ((ArrayValue)
                    jwt.call(
                        "io.jwt.decode_verify",
                        token,
                        Map.of("secret", "42", "aud", "api", "iss", "other")))
                .get(0))
        .isEqualTo(BooleanValue.FALSE);
    assertThatThrownBy(() -> jwt.call("io.jwt.decode_verify", token, Map.of("aud", "api")))
        .hasMessageContaining("no key constraint");
  }

  @Test
  void decodeVerify_rejectsNonNumericNbf() {
    String token =
        ((StringValue)
                jwt.call(
                    "io.jwt.encode_sign",
                    Map.of("alg", "HS256"),
                    Map.of("nbf", "string is not valid here"),
                    json("{\"kty\":\"oct\",\"k\":\"NDI\"}")))
            .value();
    assertThatThrownBy(() -> jwt.call("io.jwt.decode_verify", token, Map.of("secret", "42")))
        .hasMessageContaining("nbf value must be a number");
  }

  @Test
  void es256_signsAndVerifiesWithJwkAndPem() throws Exception {
    var gen = java.security.KeyPairGenerator.getInstance("EC");
    gen.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    var kp = gen.generateKeyPair();
    var ec =
        new com.nimbusds.jose.jwk.ECKey.Builder(
                com.nimbusds.jose.jwk.Curve.P_256,
                (java.security.interfaces.ECPublicKey) kp.getPublic())
            .privateKey(kp.getPrivate())
            .build();
    String token =
        ((StringValue)
                jwt.call(
                    "io.jwt.encode_sign",
                    Map.of("alg", "ES256"),
                    Map.of("a", 1),
                    json(ec.toJSONString())))
            .value();
    String pubPem =
        "-----BEGIN PUBLIC KEY-----\n"
            + java.util.Base64.getMimeEncoder().encodeToString(kp.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----";
    assertThat(jwt.call("io.jwt.verify_es256", token, pubPem)).isEqualTo(BooleanValue.TRUE);
    assertThat(jwt.call("io.jwt.verify_es256", token, ec.toPublicJWK().toJSONString()))
        .isEqualTo(BooleanValue.TRUE);
    assertThat(jwt.call("io.jwt.verify_rs256", token, pubPem)).isEqualTo(BooleanValue.FALSE);
    assertThat(
            ((ArrayValue) jwt.call("io.jwt.decode_verify", token, Map.of("cert", pubPem))).get(0))
        .isEqualTo(BooleanValue.TRUE);
  }

  @Test
  void verifyRs256_reportsPemProblems() {
    assertThatThrownBy(
            () ->
                jwt.call(
                    "io.jwt.verify_rs256",
                    "a.b.c",
                    "-----BEGIN CERT-----\nAAAA\n-----END CERT-----"))
        .hasMessageContaining("failed to extract a Key from the PEM certificate");
    assertThatThrownBy(
            () ->
                jwt.call(
                    "io.jwt.verify_rs256",
                    "a.b.c",
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\nEXTRA"))
        .hasMessageContaining("extra data after a PEM certificate block");
  }
}
