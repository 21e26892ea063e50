package io.maestro.cli.release;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen → sign → verify release, driven as a user would, on a small stand-in build. */
class ReleaseCommandTest {
  static final String COMMIT = "89abcdef0123456789abcdef0123456789abcdef";

  @TempDir Path dir;
  Path keyDir;
  Path keys;
  Path release;

  @BeforeEach
  void keygenAndSign() throws IOException {
    Path target = Files.createDirectories(dir.resolve("cli/target/lib"));
    Files.writeString(target.getParent().resolve("maestro.jar"), "app");
    Files.writeString(target.resolve("picocli-4.7.7.jar"), "lib");
    Files.writeString(target.getParent().resolve("maestro-cli.cdx.json"), bom("maestro-cli"));
    Files.writeString(target.getParent().resolve("maestro-server.cdx.json"), bom("maestro-server"));
    keyDir = dir.resolve("key");
    Run k = maestro("release", "keygen", "--key-dir", keyDir.toString());
    assertThat(k.code()).as(k.err()).isZero();
    assertThat(k.out()).startsWith("release key maestro-release+");
    keys = keyDir.resolve("release-keys.json");
    release = dir.resolve("dist");
    Run s =
        maestro(
            "release",
            "sign",
            "--out",
            release.toString(),
            "--key-dir",
            keyDir.toString(),
            "--jar",
            target.getParent().resolve("maestro.jar").toString(),
            "--sbom",
            target.getParent().resolve("maestro-cli.cdx.json").toString(),
            "--sbom",
            target.getParent().resolve("maestro-server.cdx.json").toString(),
            "--commit",
            COMMIT,
            "--source-uri",
            "https://git.test/maestro.git");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("4 products").contains("commit " + COMMIT);
  }

  @Test
  void keygen_keepsThePrivateKeyOwnerOnly() throws IOException {
    try (var files = Files.list(keyDir)) {
      Path key = files.filter(f -> f.getFileName().toString().startsWith("key-")).findFirst().get();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void verifyRelease_passesOnTheSignedRelease() {
    Run r = maestro("verify", "release", release.toString(), "--keys", keys.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("OK release").contains("source commit " + COMMIT);
  }

  @Test
  void verifyRelease_failsOnATamperedJar_namingTheDigestCheck() throws IOException {
    Files.writeString(release.resolve("maestro.jar"), "app with a backdoor");

    Run r = maestro("verify", "release", release.toString(), "--keys", keys.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("digest failed at maestro.jar");
  }

  @Test
  void verifyRelease_failsOnATamperedSbom_namingTheDigestCheck() throws IOException {
    Path bom = release.resolve("sbom/maestro-server.cdx.json");
    Files.writeString(bom, Files.readString(bom).replace("picocli", "picoclj"));

    Run r = maestro("verify", "release", release.toString(), "--keys", keys.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("digest failed at sbom/maestro-server.cdx.json");
  }

  @Test
  void verifyRelease_failsWithAnotherKey() {
    Path other = dir.resolve("other-key");
    assertThat(maestro("release", "keygen", "--key-dir", other.toString()).code()).isZero();

    Run r =
        maestro(
            "verify",
            "release",
            release.toString(),
            "--keys",
            other.resolve("release-keys.json").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("signature failed at layout.dsse.json");
  }

  @Test
  void sign_refusesANonEmptyDirectory() {
    Run r =
        maestro(
            "release",
            "sign",
            "--out",
            release.toString(),
            "--key-dir",
            keyDir.toString(),
            "--jar",
            dir.resolve("cli/target/maestro.jar").toString(),
            "--sbom",
            dir.resolve("cli/target/maestro-cli.cdx.json").toString(),
            "--commit",
            COMMIT);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("is not empty");
  }

  @Test
  void verify_withoutFileOrKeys_isAUsageError() {
    Run r = maestro("verify");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("verify needs a FILE and --keys");
  }

  static String bom(String name) {
    return """
        {"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
         "metadata":{"component":{"type":"application","name":"%s"}},
         "components":[{"type":"library","name":"picocli",
           "purl":"pkg:maven/info.picocli/picocli@4.7.7?type=jar",
           "hashes":[{"alg":"SHA-256","content":"%s"}]}]}
        """
        .formatted(name, "ab".repeat(32));
  }
}
