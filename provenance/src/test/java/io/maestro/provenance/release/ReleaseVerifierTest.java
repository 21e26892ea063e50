package io.maestro.provenance.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.provenance.attest.DsseTest;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.VerificationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release signed with the project's layout verifies; each kind of tampering names its check. */
class ReleaseVerifierTest {
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path tmp;
  Path build;
  Path release;
  Signer signer;
  TrustedKeys keys;

  @BeforeEach
  void buildAndSign() throws IOException {
    build = Files.createDirectories(tmp.resolve("target"));
    Files.write(build.resolve("maestro.jar"), "the app".getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(build.resolve("lib"));
    byte[] lib = "a library".getBytes(StandardCharsets.UTF_8);
    Files.write(build.resolve("lib/picocli-4.7.7.jar"), lib);
    Files.writeString(build.resolve("maestro-cli.cdx.json"), bom("maestro-cli", lib));
    Files.writeString(build.resolve("maestro-server.cdx.json"), bom("maestro-server", lib));
    signer = signer("maestro-release", 7);
    keys = TrustedKeys.of(List.of(signer.key()));
    release = tmp.resolve("release");
    ReleaseSigner.Signed signed = ReleaseSigner.sign(inputs(layout()), release, signer);
    assertThat(signed.products()).isEqualTo(4);
    assertThat(signed.materials()).isEqualTo(2);
  }

  @Test
  void verify_acceptsTheSignedRelease() throws VerificationFailure {
    ReleaseVerifier.Report r = ReleaseVerifier.verify(release, keys);

    assertThat(r.commit()).isEqualTo(COMMIT);
    assertThat(r.builder()).isEqualTo("https://builder.test/local");
    assertThat(r.steps()).isEqualTo(2);
    assertThat(r.sbomComponents())
        .containsEntry("sbom/maestro-cli.cdx.json", 2)
        .containsEntry("sbom/maestro-server.cdx.json", 2);
    assertThat(r.signers()).containsExactly(signer.key().keyId());
  }

  @Test
  void verify_refusesATamperedJar_byItsDigest() throws IOException {
    Files.write(
        release.resolve("maestro.jar"), "the app, patched".getBytes(StandardCharsets.UTF_8));

    assertFails(VerificationFailure.Check.DIGEST, "maestro.jar");
  }

  @Test
  void verify_refusesATamperedSbom_byItsDigest() throws IOException {
    Path sbom = release.resolve("sbom/maestro-cli.cdx.json");
    Files.writeString(sbom, Files.readString(sbom).replace("picocli", "picoclj"));

    assertFails(VerificationFailure.Check.DIGEST, "sbom/maestro-cli.cdx.json");
  }

  @Test
  void verify_refusesAMissingSbom() throws IOException {
    Files.delete(release.resolve("sbom/maestro-server.cdx.json"));

    assertFails(VerificationFailure.Check.DIGEST, "sbom/maestro-server.cdx.json");
  }

  @Test
  void verify_refusesAFileNoStepAttests() throws IOException {
    Files.writeString(release.resolve("lib/extra.jar"), "smuggled");

    assertFails(VerificationFailure.Check.DIGEST, "lib/extra.jar");
  }

  @Test
  void verify_refusesKeysThatDidNotSign() {
    TrustedKeys other = TrustedKeys.of(List.of(signer("maestro-release", 9).key()));

    assertThatThrownBy(() -> ReleaseVerifier.verify(release, other))
        .isInstanceOfSatisfying(
            VerificationFailure.class,
            f -> assertThat(f.check()).isEqualTo(VerificationFailure.Check.SIGNATURE));
  }

  @Test
  void verify_refusesASignerTheLayoutDoesNotName() throws IOException {
    Signer stranger = signer("someone-else", 3);
    Path other = tmp.resolve("other");
    ReleaseSigner.sign(inputs(layout()), other, stranger);

    assertThatThrownBy(() -> ReleaseVerifier.verify(other, TrustedKeys.of(List.of(stranger.key()))))
        .isInstanceOfSatisfying(
            VerificationFailure.class,
            f -> {
              assertThat(f.check()).isEqualTo(VerificationFailure.Check.SIGNATURE);
              assertThat(f.where()).isEqualTo("attestations/build.provenance.dsse.json");
            });
  }

  @Test
  void verify_refusesProductsTheLayoutDisallows() throws IOException {
    Path stray = Files.writeString(build.resolve("extra-bom.json"), bom("extra", new byte[1]));
    ReleaseSigner.Inputs in = inputs(layout());
    List<Path> sboms = new java.util.ArrayList<>(in.sboms());
    sboms.add(stray);
    Path other = tmp.resolve("other");
    ReleaseSigner.sign(
        new ReleaseSigner.Inputs(
            in.jar(),
            in.libDir(),
            sboms,
            in.image(),
            in.layoutYaml(),
            in.source(),
            in.builderId(),
            in.buildCommand(),
            in.signCommand()),
        other,
        signer);

    assertThatThrownBy(() -> ReleaseVerifier.verify(other, keys))
        .isInstanceOfSatisfying(
            VerificationFailure.class,
            f -> {
              assertThat(f.check()).isEqualTo(VerificationFailure.Check.LAYOUT);
              assertThat(f.reason()).contains("sbom/extra-bom.json");
            });
  }

  @Test
  void sign_isDeterministic() throws IOException {
    Path again = tmp.resolve("again");
    ReleaseSigner.sign(inputs(layout()), again, signer);

    assertThat(ReleaseFiles.digests(again)).isEqualTo(ReleaseFiles.digests(release));
  }

  private void assertFails(VerificationFailure.Check check, String where) {
    assertThatThrownBy(() -> ReleaseVerifier.verify(release, keys))
        .isInstanceOfSatisfying(
            VerificationFailure.class,
            f -> {
              assertThat(f.check()).isEqualTo(check);
              assertThat(f.where()).isEqualTo(where);
              assertThat(f.describe()).startsWith(check.label() + " failed at " + where);
            });
  }

  private ReleaseSigner.Inputs inputs(String layout) {
    return new ReleaseSigner.Inputs(
        build.resolve("maestro.jar"),
        Optional.of(build.resolve("lib")),
        List.of(build.resolve("maestro-cli.cdx.json"), build.resolve("maestro-server.cdx.json")),
        Optional.empty(),
        layout,
        new SlsaProvenance.Source("https://git.test/maestro.git", COMMIT, false),
        "https://builder.test/local",
        List.of("./mvnw", "-B", "-ntp", "package", "-DskipTests"),
        List.of("maestro", "release", "sign"));
  }

  static String layout() throws IOException {
    return Files.readString(
        Path.of(System.getProperty("maestro.root", "../"), "docs/provenance/layout.yaml"));
  }

  static String bom(String name, byte[] lib) {
    String sha = ReleaseFilesTestSupport.sha256(lib);
    return """
        {"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
         "metadata":{"component":{"type":"application","name":"%s"}},
         "components":[
           {"type":"library","name":"picocli","purl":"pkg:maven/info.picocli/picocli@4.7.7?type=jar",
            "hashes":[{"alg":"SHA-256","content":"%s"}]},
           {"type":"library","name":"maestro-core","purl":"pkg:maven/io.maestro/maestro-core@0.1.0?type=jar",
            "hashes":[{"alg":"SHA-256","content":"%s"}]}]}
        """
        .formatted(name, sha, sha);
  }

  static Signer signer(String name, int seedByte) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) seedByte);
    return DsseTest.signerFor(name, seed);
  }

  /** SHA-256 of bytes, as the SBOM writes it. */
  static final class ReleaseFilesTestSupport {
    static String sha256(byte[] b) {
      try {
        return HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
