package io.maestro.cli.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release gate on the artifacts this build made: the packaged app jar with its lib/, the
 * server's and cli's CycloneDX SBOMs and the container image are signed, verify, and a tampered
 * copy of the jar, the SBOM or the image is refused with the check that failed.
 */
class ReleaseIT {
  @TempDir Path dir;

  @Test
  void theBuiltArtifacts_signVerifyAndRefuseTampering() throws Exception {
    Path key = dir.resolve("key");
    Path dist = dir.resolve("dist");
    run(0, "release", "keygen", "--key-dir", key.toString());
    CliRunner.Result signed =
        SignedBuild.sign(dir, key, dist, CliRunner.jar(), "--image", image().toString());
    String digest = Files.readString(image().resolveSibling("maestro-image.digest")).strip();
    assertThat(signed.stdout()).contains("signed release").contains("image " + digest);
    String keys = key.resolve("release-keys.json").toString();

    CliRunner.Result ok = run(0, "verify", "release", dist.toString(), "--keys", keys);
    assertThat(ok.stdout())
        .contains("OK release")
        .contains("sbom/maestro-cli.cdx.json=")
        .contains("image " + digest);

    Path imageCopy = copy(dist, "image");
    Files.write(
        imageCopy.resolve("image/maestro-image.tar"), new byte[] {0}, StandardOpenOption.APPEND);
    assertThat(run(1, "verify", "release", imageCopy.toString(), "--keys", keys).stderr())
        .contains("digest failed at image/maestro-image.tar");

    Path jarCopy = copy(dist, "jar");
    Files.write(jarCopy.resolve("maestro.jar"), new byte[] {0}, StandardOpenOption.APPEND);
    assertThat(run(1, "verify", "release", jarCopy.toString(), "--keys", keys).stderr())
        .contains("digest failed at maestro.jar");

    Path bomCopy = copy(dist, "bom");
    Path bom = bomCopy.resolve("sbom/maestro-cli.cdx.json");
    Files.writeString(bom, Files.readString(bom).replaceFirst("\"version\"", "\"version \""));
    assertThat(run(1, "verify", "release", bomCopy.toString(), "--keys", keys).stderr())
        .contains("digest failed at sbom/maestro-cli.cdx.json");
  }

  /** The image the build made (ADR 0036). */
  static Path image() {
    return Path.of(System.getProperty("maestro.image", "target/maestro-image.tar"));
  }

  private CliRunner.Result run(int expected, String... args) throws Exception {
    CliRunner.Result r = CliRunner.run(dir, Map.of(), args);
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(expected);
    return r;
  }

  private Path copy(Path from, String name) throws IOException {
    Path to = dir.resolve(name);
    try (var files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t);
        }
      }
    }
    return to;
  }
}
