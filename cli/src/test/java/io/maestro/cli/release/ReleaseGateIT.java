package io.maestro.cli.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import io.maestro.cli.ServerStartupIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-time gate: {@code maestro server --verify-release DIR} (or MAESTRO_RELEASE_VERIFY_DIR)
 * serves only when the release verifies and the running jars are its jars; a tampered jar or SBOM,
 * or a release of other jars, stops it with one line and exit 1 before it listens.
 */
class ReleaseGateIT {
  @TempDir Path dir;
  Path dist;
  String keys;

  @BeforeEach
  void signTheBuild() throws Exception {
    Path key = dir.resolve("key");
    CliRunner.run(dir, Map.of(), "release", "keygen", "--key-dir", key.toString()).expect(0);
    keys = key.resolve("release-keys.json").toString();
    dist = sign("dist", CliRunner.jar());
  }

  @Test
  void aVerifiedRelease_startsAndServes() throws Exception {
    try (CliRunner.Running server =
        CliRunner.server(
            dir,
            Map.of("MAESTRO_RELEASE_VERIFY_DIR", dist.toString(), "MAESTRO_RELEASE_KEYS", keys))) {
      assertThat(server.firstLine("release verified")).contains("running jars match");
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(server.url() + "/healthz")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aTamperedJar_isRefusedBeforeListening() throws Exception {
    Files.write(dist.resolve("maestro.jar"), new byte[] {0}, StandardOpenOption.APPEND);
    ServerStartupIT.assertOneLine(
        start(dist), "release verification FAILED — digest failed at maestro.jar");
  }

  @Test
  void aTamperedSbom_isRefusedBeforeListening() throws Exception {
    Path bom = dist.resolve("sbom/maestro-server.cdx.json");
    Files.writeString(bom, Files.readString(bom).replaceFirst("\"version\"", "\"version \""));
    ServerStartupIT.assertOneLine(
        start(dist), "release verification FAILED — digest failed at sbom/maestro-server.cdx.json");
  }

  @Test
  void aValidReleaseOfOtherJars_isRefused() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other"));
    Path jar = Files.copy(CliRunner.jar(), other.resolve("maestro.jar"));
    Files.write(jar, new byte[] {0}, StandardOpenOption.APPEND);
    Path release = sign("other-release", jar);
    CliRunner.run(dir, Map.of(), "verify", "release", release.toString(), "--keys", keys).expect(0);
    ServerStartupIT.assertOneLine(start(release), "is not the release's maestro.jar");
  }

  /** The gate is a configuration key too: release.verify.dir and .keys in maestro.yaml. */
  @Test
  void theConfigurationFile_namesTheRelease_andATamperedSbomIsRefused() throws Exception {
    Path bom = dist.resolve("sbom/maestro-cli.cdx.json");
    Files.writeString(bom, Files.readString(bom).replaceFirst("\"version\"", "\"version \""));
    Path config = dir.resolve("maestro.yaml");
    Files.writeString(
        config, "mode: dev\nrelease:\n  verify:\n    dir: " + dist + "\n    keys: " + keys + "\n");
    ServerStartupIT.assertOneLine(
        CliRunner.run(dir, Map.of(), CliRunner.serverArgs(dir, "--config", config.toString())),
        "release verification FAILED — digest failed at sbom/maestro-cli.cdx.json");
  }

  @Test
  void aReleaseWithoutKeys_isAConfigurationError() throws Exception {
    CliRunner.Result r =
        CliRunner.run(
            dir, Map.of("MAESTRO_RELEASE_VERIFY_DIR", dist.toString()), CliRunner.serverArgs(dir));
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stderr()).contains("release.verify.keys");
    assertThat(r.stdout()).doesNotContain("listening on");
  }

  private CliRunner.Result start(Path release) throws Exception {
    return CliRunner.run(
        dir,
        Map.of(),
        CliRunner.serverArgs(dir, "--verify-release", release.toString(), "--release-keys", keys));
  }

  private Path sign(String name, Path jar) throws Exception {
    Path out = dir.resolve(name);
    SignedBuild.sign(dir, dir.resolve("key"), out, jar, "--no-image");
    return out;
  }
}
