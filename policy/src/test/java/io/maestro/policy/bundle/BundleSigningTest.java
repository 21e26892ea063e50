package io.maestro.policy.bundle;

import static io.maestro.policy.bundle.BundleFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.policy.bundle.BundleVerificationException.Failure;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BundleSigningTest {
  private static final Keys.SigningKey ED = Keys.generate(SignatureAlgorithm.EdDSA);

  private static BundleVerifier.Config trust(String kid, Keys.SigningKey key) {
    return BundleVerifier.Config.of(
        kid,
        new BundleVerifier.TrustedKey(
            key.algorithm(), key.publicKey().orElseThrow(), Optional.empty()));
  }

  private static Bundle signed() {
    return BundleSigner.sign(BundleFixtures.bundle(), ED, BundleSigner.Options.keyId("k1"));
  }

  /** Rebuilds {@code signed}'s files with a change, keeping its signature. */
  private static Bundle tampered(
      Bundle signed, java.util.function.Consumer<Map<String, byte[]>> change) {
    Map<String, byte[]> files = new TreeMap<>();
    signed.paths().forEach(p -> files.put(p, signed.file(p).orElseThrow()));
    change.accept(files);
    return new Bundle(signed.name(), files, signed.signatures());
  }

  @ParameterizedTest
  @EnumSource(
      value = SignatureAlgorithm.class,
      names = {"RS256", "ES256", "EdDSA", "PS256", "ES384"})
  void signedBundle_verifiesWithEachAlgorithm(SignatureAlgorithm alg) {
    Keys.SigningKey key = Keys.generate(alg);
    Bundle b = BundleSigner.sign(BundleFixtures.bundle(), key, BundleSigner.Options.keyId("k"));

    BundleVerifier.Verified v = BundleVerifier.verify(b, trust("k", key));

    assertThat(v.keyId()).isEqualTo("k");
    assertThat(v.algorithm()).isEqualTo(alg);
    assertThat(v.files()).containsExactlyElementsOf(b.paths()).contains(".manifest");
  }

  @Test
  void signedBundle_survivesTarGzRoundTrip() {
    Bundle b = signed();
    Bundle back =
        BundleIO.readTarGz(
            "x.tar.gz", new java.io.ByteArrayInputStream(BundleIO.toTarGz(b)), 1 << 20);

    assertThat(BundleVerifier.verify(back, trust("k1", ED)).files()).hasSize(5);
    assertThat(back.contentDigest()).isEqualTo(b.contentDigest());
  }

  @Test
  void reformattedDataFile_stillVerifies_becauseStructuredFilesAreHashedParsed() {
    Bundle b =
        tampered(
            signed(),
            f ->
                f.put(
                    "maestro/rbac/data.json",
                    utf8("{\n  \"roles\": {\"a\": [1, 2.50], \"b\": 2}\n}\n")));
    assertThat(BundleVerifier.verify(b, trust("k1", ED)).files()).hasSize(5);
  }

  @Test
  void verify_failsWhenAFileIsAltered() {
    Bundle b =
        tampered(
            signed(),
            f ->
                f.put(
                    "maestro/authz/authz.rego",
                    utf8("package maestro.authz\n\ndefault allow := true\n")));
    assertFailure(b, Failure.DIGEST_MISMATCH, "maestro/authz/authz.rego: digest mismatch");
  }

  @Test
  void verify_failsWhenDataValueIsAltered() {
    Bundle b =
        tampered(
            signed(),
            f -> f.put("maestro/abac/data.yaml", utf8("thresholds:\n  high: 9\n  low: 1.5\n")));
    assertFailure(b, Failure.DIGEST_MISMATCH, "maestro/abac/data.yaml");
  }

  @Test
  void verify_failsWhenAFileIsMissing() {
    Bundle b = tampered(signed(), f -> f.remove("maestro/rbac/data.json"));
    assertFailure(
        b, Failure.FILE_MISSING, "[maestro/rbac/data.json] listed in the signature but not found");
  }

  @Test
  void verify_failsWhenAnExtraFileIsAdded() {
    Bundle b =
        tampered(signed(), f -> f.put("maestro/extra.rego", utf8("package maestro.extra\n")));
    assertFailure(
        b, Failure.FILE_NOT_SIGNED, "maestro/extra.rego is not included in the signature");
  }

  @Test
  void verify_failsWhenTheManifestIsChanged() {
    Bundle s = signed();
    Bundle b =
        tampered(
            s,
            f -> f.put(".manifest", Manifest.of("rev-2", java.util.List.of("maestro")).toBytes()));
    assertFailure(b, Failure.DIGEST_MISMATCH, ".manifest");
  }

  @Test
  void verify_failsWhenScopeDiffers() {
    Bundle b =
        BundleSigner.sign(
            BundleFixtures.bundle(), ED, BundleSigner.Options.keyId("k1").withScope("write"));
    assertThat(BundleVerifier.verify(b, trust("k1", ED).withScope("write")).scope())
        .isEqualTo("write");
    assertThatThrownBy(() -> BundleVerifier.verify(b, trust("k1", ED).withScope("read")))
        .isInstanceOfSatisfying(
            BundleVerificationException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.SCOPE_MISMATCH));
    assertThatThrownBy(() -> BundleVerifier.verify(b, trust("k1", ED)))
        .isInstanceOfSatisfying(
            BundleVerificationException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.SCOPE_MISMATCH));
  }

  @Test
  void verify_failsForUnknownKeyId() {
    assertThatThrownBy(() -> BundleVerifier.verify(signed(), trust("other", ED)))
        .isInstanceOfSatisfying(
            BundleVerificationException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.UNKNOWN_KEY_ID);
              assertThat(e).hasMessageContaining("unknown key id 'k1'");
              assertThat(e.code().code()).isEqualTo("bundle_signature_invalid");
            });
  }

  @Test
  void verify_failsWithAnotherKeyUnderTheSameId() {
    Keys.SigningKey other = Keys.generate(SignatureAlgorithm.EdDSA);
    assertFailureWith(signed(), trust("k1", other), Failure.BAD_SIGNATURE);
  }

  @Test
  void verify_rejectsAlgorithmOtherThanTheKeys() {
    Keys.SigningKey rsa = Keys.generate(SignatureAlgorithm.RS256);
    Bundle b = BundleSigner.sign(BundleFixtures.bundle(), rsa, BundleSigner.Options.keyId("k1"));
    BundleVerifier.Config ps =
        BundleVerifier.Config.of(
            "k1",
            new BundleVerifier.TrustedKey(
                SignatureAlgorithm.PS256, rsa.publicKey().orElseThrow(), Optional.empty()));
    assertFailureWith(b, ps, Failure.ALGORITHM_MISMATCH);
  }

  @Test
  void verify_failsWhenUnsigned() {
    assertFailureWith(BundleFixtures.bundle(), trust("k1", ED), Failure.SIGNATURE_MISSING);
  }

  @Test
  void verify_failsOnForgedPayload() {
    Bundle s = signed();
    String[] parts = s.signatures().orElseThrow().tokens().get(0).split("\\.");
    String forged =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(utf8("{\"files\":[]}"))
            + "."
            + parts[2];
    assertFailureWith(
        s.withSignatures(Signatures.of(forged)), trust("k1", ED), Failure.BAD_SIGNATURE);
  }

  @Test
  void configuredKeyId_overridesTheTokensKid() {
    Bundle b = signed();
    BundleVerifier.Config cfg =
        new BundleVerifier.Config(
            Map.of(
                "pinned",
                new BundleVerifier.TrustedKey(
                    SignatureAlgorithm.EdDSA, ED.publicKey().orElseThrow(), Optional.empty())),
            Optional.of("pinned"),
            Optional.empty());
    assertThat(BundleVerifier.verify(b, cfg).keyId()).isEqualTo("pinned");
  }

  @Test
  void tokenPayload_listsFilesWithOpaFieldNames() throws Exception {
    String token = signed().signatures().orElseThrow().tokens().get(0);
    var jws = com.nimbusds.jose.JWSObject.parse(token);
    assertThat(jws.getHeader().getKeyID()).isEqualTo("k1");
    assertThat(jws.getHeader().getAlgorithm().getName()).isEqualTo("EdDSA");
    assertThat(jws.getPayload().toString())
        .contains(
            "\"name\":\"maestro/rbac/data.json\"", "\"algorithm\":\"SHA-256\"", "\"hash\":\"");
  }

  private static void assertFailure(Bundle b, Failure failure, String message) {
    assertThatThrownBy(() -> BundleVerifier.verify(b, trust("k1", ED)))
        .isInstanceOfSatisfying(
            BundleVerificationException.class, e -> assertThat(e.failure()).isEqualTo(failure))
        .hasMessageContaining(message);
  }

  private static void assertFailureWith(Bundle b, BundleVerifier.Config cfg, Failure failure) {
    assertThatThrownBy(() -> BundleVerifier.verify(b, cfg))
        .isInstanceOfSatisfying(
            BundleVerificationException.class, e -> assertThat(e.failure()).isEqualTo(failure));
  }
}
