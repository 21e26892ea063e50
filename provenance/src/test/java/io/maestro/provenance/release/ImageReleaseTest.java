package io.maestro.provenance.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.VerificationFailure;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release with a container image: the image is signed by its manifest digest, verifies, and a
 * tampered tarball, a swapped image or a tarball that is not the OCI image it claims is refused.
 */
class ImageReleaseTest {
  @TempDir Path tmp;
  Path build;
  Path image;
  Signer signer;
  TrustedKeys keys;

  @BeforeEach
  void build() throws IOException {
    build = Files.createDirectories(tmp.resolve("target"));
    Files.write(build.resolve("maestro.jar"), "the app".getBytes(StandardCharsets.UTF_8));
    byte[] lib = "a library".getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(build.resolve("lib"));
    Files.write(build.resolve("lib/picocli-4.7.7.jar"), lib);
    Files.writeString(
        build.resolve("maestro-cli.cdx.json"), ReleaseVerifierTest.bom("maestro-cli", lib));
    Files.writeString(
        build.resolve("maestro-server.cdx.json"), ReleaseVerifierTest.bom("maestro-server", lib));
    image = OciTarball.write(build.resolve("maestro-image.tar"), "hello");
    signer = ReleaseVerifierTest.signer("maestro-release", 9);
    keys = TrustedKeys.of(List.of(signer.key()));
  }

  @Test
  void aSignedImage_verifiesWithItsManifestDigest() throws Exception {
    Path release = tmp.resolve("release");
    ReleaseSigner.Signed s = ReleaseSigner.sign(inputs(image), release, signer);

    String digest = OciTarball.manifestDigest(image);
    assertThat(s.imageDigest()).contains(digest);
    assertThat(ReleaseVerifier.verify(release, keys).imageDigest()).contains(digest);
    assertThat(Files.readString(release.resolve(ReleaseSigner.IMAGE_ATTESTATION)))
        .as("the envelope carries the statement, base64")
        .contains("payload");
  }

  @Test
  void aTamperedImage_failsTheDigestCheck_namingTheTarball() throws Exception {
    Path release = tmp.resolve("release");
    ReleaseSigner.sign(inputs(image), release, signer);
    try (RandomAccessFile f =
        new RandomAccessFile(release.resolve("image/maestro-image.tar").toFile(), "rw")) {
      f.seek(f.length() - 2000);
      f.write(0x5a);
    }

    assertThatThrownBy(() -> ReleaseVerifier.verify(release, keys))
        .isInstanceOfSatisfying(
            VerificationFailure.class,
            f -> assertThat(f.describe()).startsWith("digest failed at image/maestro-image.tar"));
  }

  @Test
  void anotherImageUnderTheSameName_isRefused() throws Exception {
    Path release = tmp.resolve("release");
    ReleaseSigner.sign(inputs(image), release, signer);
    // Another release signs another image; its attestation is moved into the first release.
    Path other = tmp.resolve("other");
    Path otherImage = OciTarball.write(tmp.resolve("maestro-image.tar"), "evil");
    ReleaseSigner.sign(inputs(otherImage), other, signer);
    Files.copy(
        other.resolve(ReleaseSigner.IMAGE_ATTESTATION),
        release.resolve(ReleaseSigner.IMAGE_ATTESTATION),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> ReleaseVerifier.verify(release, keys))
        .isInstanceOfSatisfying(
            VerificationFailure.class,
            f -> assertThat(f.where()).isEqualTo(ReleaseSigner.IMAGE_ATTESTATION));
  }

  @Test
  void aTarballThatIsNoConsistentImage_cannotBeSigned() throws Exception {
    Path broken = build.resolve("broken.tar");
    Files.write(
        broken,
        OciTarball.tar(
            java.util.Map.of(
                "oci-layout",
                "{}".getBytes(StandardCharsets.UTF_8),
                "blobs/sha256/" + "0".repeat(64),
                "x".getBytes(StandardCharsets.UTF_8))));

    assertThatThrownBy(() -> ReleaseSigner.sign(inputs(broken), tmp.resolve("r"), signer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken.tar is not usable")
        .hasMessageContaining("blobs/sha256/0000");
  }

  private ReleaseSigner.Inputs inputs(Path img) throws IOException {
    return new ReleaseSigner.Inputs(
        build.resolve("maestro.jar"),
        Optional.of(build.resolve("lib")),
        List.of(build.resolve("maestro-cli.cdx.json"), build.resolve("maestro-server.cdx.json")),
        Optional.of(img),
        ReleaseVerifierTest.layout(),
        new SlsaProvenance.Source(
            "https://git.test/maestro.git", ReleaseVerifierTest.COMMIT, false),
        "https://builder.test/local",
        List.of("./mvnw", "-B", "-ntp", "package", "-DskipTests"),
        List.of("maestro", "release", "sign"));
  }
}
