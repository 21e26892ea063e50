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
