package io.maestro.policy.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.problem.MaestroException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeysTest {

  @ParameterizedTest
  @EnumSource(
      value = SignatureAlgorithm.class,
      names = {"RS256", "ES256", "EdDSA"})
  void pemRoundTrip_keepsKeysUsable(SignatureAlgorithm alg) {
    Keys.SigningKey key = Keys.generate(alg);
    Keys.SigningKey back =
        Keys.parseSigningKey(Keys.toPem(key.privateKey()), Optional.empty(), "key.pem");
    var pub = Keys.parsePublicKey(Keys.toPem(key.publicKey().orElseThrow()), "pub.pem");

    assertThat(back.algorithm()).isEqualTo(alg);
    Bundle b = BundleSigner.sign(BundleFixtures.bundle(), back, BundleSigner.Options.keyId("k"));
    assertThat(
            BundleVerifier.verify(
                    b, BundleVerifier.Config.of("k", BundleVerifier.TrustedKey.of(pub)))
                .keyId())
        .isEqualTo("k");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "rsa-pkcs1.pem, rsa-pkcs1.pub.pem, RS256",
    "rsa-pkcs1.pem, rsa-pkcs1.rsapub.pem, RS256",
    "ec-sec1.pem, ec-sec1.pub.pem, ES256",
    "ec-sec1-nopub.pem, ec-sec1.pub.pem, ES256",
    "ed25519.pem, ed25519.pub.pem, EdDSA"
  })
  void opensslPemFormats_signAndVerify(
      String privateFile, String publicFile, SignatureAlgorithm alg) throws Exception {
    Keys.SigningKey key =
        Keys.parseSigningKey(resource(privateFile), Optional.empty(), privateFile);
    var pub = Keys.parsePublicKey(resource(publicFile), publicFile);

    assertThat(key.algorithm()).isEqualTo(alg);
    assertThat(key.publicKey()).hasValue(pub);
    Bundle b = BundleSigner.sign(BundleFixtures.bundle(), key, BundleSigner.Options.keyId("k"));
    assertThat(
            BundleVerifier.verify(
                    b, BundleVerifier.Config.of("k", BundleVerifier.TrustedKey.of(pub)))
                .algorithm())
        .isEqualTo(alg);
  }

  private static String resource(String name) throws Exception {
    try (var in = KeysTest.class.getResourceAsStream("/keys/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  @Test
  void keyOfWrongTypeForAlgorithm_isRejected() {
    Keys.SigningKey key = Keys.generate(SignatureAlgorithm.EdDSA);
    assertThatThrownBy(
            () ->
                Keys.parseSigningKey(
                    Keys.toPem(key.privateKey()), Optional.of(SignatureAlgorithm.RS256), "k.pem"))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("k.pem: a Ed25519 key cannot sign with RS256");
  }

  @Test
  void garbage_isRejectedWithTheSourceNamed() {
    assertThatThrownBy(() -> Keys.parsePublicKey("not a key", "pub.pem"))
        .isInstanceOf(MaestroException.class)
        .hasMessageStartingWith("pub.pem:");
  }
}
