package io.maestro.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliRunner;
import io.maestro.cli.release.SignedBuild;
import io.maestro.provenance.release.OciImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image the build made (cli/target/maestro-image.tar, ADR 0036), run without a
 * container engine: its layers are unpacked into a root filesystem, which bubblewrap mounts
 * read-only as {@code /}, with the image's user, working directory, environment and entrypoint, a
 * data volume and a tmpfs {@code /tmp} — what a Kubernetes pod with {@code readOnlyRootFilesystem}
 * gives it. As the Helm chart's release gate does, the image first verifies a signed release of
 * this build (the init container's command), then serves only after checking that its own jars are
 * that release's; the server must answer {@code /healthz} and {@code /readyz} and pass {@code
 * maestro validate --post-release} from outside. Without bwrap the test is skipped with one line
 * (it fails under {@code CI=true}).
 */
class ImageIT {
  static final String RELEASE = "/var/run/maestro/release";
  static final String KEYS = "/var/run/maestro/release-keys";

  @TempDir Path dir;
  Path rootfs;
  Path data;
  Path release;
  Path keys;
  JsonNode config;

  @Test
  void theImage_runsReadOnlyAsItsNonRootUser_verifiesItsRelease_andPassesValidation()
      throws Exception {
    Path tarball = Path.of(System.getProperty("maestro.image", "target/maestro-image.tar"));
    CliRunner.requireTool(
        Files.isRegularFile(tarball),
        "ImageIT needs the image",
        "there is none at " + tarball + " (built with -Dmaestro.image.skip?)");
    CliRunner.requireTool(
        bwrap(), "ImageIT needs bubblewrap", "bwrap is not installed (apt-get install bubblewrap)");

    OciImage.Image image = OciImage.read(tarball);
    System.out.printf(
        "image %s: %d layers, %.1f MB compressed (tarball %.1f MB)%n",
        image.manifestDigest(),
        image.layers().size(),
        image.size() / 1e6,
        Files.size(tarball) / 1e6);
    config = image.config().path("config");
    assertThat(config.path("User").asText())
        .as("a numeric non-root user")
        .matches("[1-9][0-9]*:[1-9][0-9]*");
    assertThat(config.path("Volumes").has("/var/lib/maestro")).isTrue();
    assertThat(config.path("Volumes").has("/tmp")).isTrue();
    unpack(tarball, image);
    signRelease();

    // The chart's init container: the image's entrypoint with `verify release`.
    Process verify =
        new ProcessBuilder(
                sandbox(
                    Map.of(),
                    List.of("verify", "release", RELEASE, "--keys", KEYS + "/release-keys.json")))
            .redirectErrorStream(true)
            .start();
    String verified = new String(verify.getInputStream().readAllBytes());
    assertThat(verify.waitFor()).as(verified).isZero();
    assertThat(verified).contains("OK release");

    List<String> serve = new ArrayList<>();
    config.path("Cmd").forEach(a -> serve.add(a.asText()));
    // The server's own defaults: dev mode on loopback (bwrap shares the host's network here).
    serve.addAll(List.of("--port", "0", "--host", "127.0.0.1"));
    Map<String, String> gate =
        Map.of(
            "MAESTRO_RELEASE_VERIFY_DIR",
            RELEASE,
            "MAESTRO_RELEASE_KEYS",
            KEYS + "/release-keys.json");
    try (CliRunner.Running server =
        CliRunner.start(
            new ProcessBuilder(sandbox(gate, serve)).directory(dir.toFile()),
            dir,
            "listening on",
            Duration.ofSeconds(150))) {
      assertThat(server.firstLine("release verified")).contains("running jars match");
      String url = server.url();
      assertThat(get(url + "/healthz")).isEqualTo(200);
      assertThat(get(url + "/readyz")).isEqualTo(200);
      assertThat(data.resolve("db/maestro.mv.db")).as("state lives in the data volume").exists();

      CliRunner.loginDev(dir, url);
      cli(0, "keys", "export", "-o", dir.resolve("keys.json").toString());
      CliRunner.Result validated =
          cli(
              0,
              "validate",
              "--post-release",
              "--url",
              url,
              "--keys",
              dir.resolve("keys.json").toString(),
              "-o",
              dir.resolve("evidence").toString());
      assertThat(validated.stdout()).contains("OK post-release validation");
    }
  }

  /** A release of this build (app jar, lib/, SBOMs) signed with a fresh key. */
  private void signRelease() throws Exception {
    keys = dir.resolve("key");
    release = dir.resolve("release");
    cli(0, "release", "keygen", "--key-dir", keys.toString());
    SignedBuild.sign(dir, keys, release, CliRunner.jar(), "--no-image");
  }

  /** The image's entrypoint with {@code args}, as the image says to run it, in bubblewrap. */
  private List<String> sandbox(Map<String, String> env, List<String> args) {
    String[] user = config.path("User").asText().split(":");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "bwrap",
                "--ro-bind",
                rootfs.toString(),
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--tmpfs",
                "/tmp",
                "--bind",
                data.toString(),
                "/var/lib/maestro",
                "--ro-bind",
                release.toString(),
                RELEASE,
                "--ro-bind",
                keys.toString(),
                KEYS,
                "--unshare-user",
                "--uid",
                user[0],
                "--gid",
                user[1],
                "--unshare-pid",
                "--unshare-ipc",
                "--die-with-parent",
                "--chdir",
                config.path("WorkingDir").asText("/"),
                "--clearenv"));
    for (JsonNode e : config.path("Env")) {
      String[] kv = e.asText().split("=", 2);
      cmd.addAll(List.of("--setenv", kv[0], kv[1]));
    }
    env.forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
    config.path("Entrypoint").forEach(a -> cmd.add(a.asText()));
    cmd.addAll(args);
    return cmd;
  }

  /** The layers, in manifest order, into {@code rootfs}; an empty data volume beside it. */
  private void unpack(Path tarball, OciImage.Image image) throws Exception {
    rootfs = Files.createDirectories(dir.resolve("rootfs"));
    Path blobs = Files.createDirectories(dir.resolve("blobs"));
    exec(List.of("tar", "-xf", tarball.toString(), "-C", blobs.toString()));
    for (String layer : image.layers()) {
      exec(
          List.of(
              "tar",
              "--warning=no-unknown-keyword",
              "-xzf",
              blobs.resolve("blobs/sha256/" + layer.substring(7)).toString(),
              "-C",
              rootfs.toString()));
    }
    data = Files.createDirectories(dir.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  private CliRunner.Result cli(int code, String... args) throws Exception {
    return CliRunner.run(dir, Map.of(), args).expect(code);
  }

  private static int get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private static void exec(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
  }

  private static boolean bwrap() {
    try {
      Process p = new ProcessBuilder("bwrap", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
