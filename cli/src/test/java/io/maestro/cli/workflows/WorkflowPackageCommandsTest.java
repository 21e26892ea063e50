package io.maestro.cli.workflows;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maestro workflows package|sign|verify|publish} as a user runs them, against a real server
 * whose tenants' profile ({@code regulated}) requires signed packages.
 */
class WorkflowPackageCommandsTest {
  @TempDir Path dir;

  /** Flips the first byte of {@code needle} inside the package's tar stream and re-gzips it. */
  static byte[] flipByte(byte[] tgz, String needle) throws Exception {
    byte[] tar = new GZIPInputStream(new ByteArrayInputStream(tgz)).readAllBytes();
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    int at = -1;
    for (int i = 0; at < 0 && i + n.length <= tar.length; i++) {
      if (java.util.Arrays.equals(tar, i, i + n.length, n, 0, n.length)) {
        at = i;
      }
    }
    assertThat(at).as("the package holds " + needle).isNotNegative();
    tar[at] ^= 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(tar);
    }
    return out.toByteArray();
  }

  @Test
  void packageSignVerifyPublish_refusesUnsignedAndTamperedPackagesNamingTheFile() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(
        src.resolve("hello.yaml"),
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: packaged-hello, version: "1"}
        spec:
          tasks:
            - {id: greet, uses: core/log, with: {message: "rows in data/input.csv"}}
        """);
    Files.createDirectories(src.resolve("data"));
    Files.writeString(src.resolve("data/input.csv"), "region,total\nnorth,42\n");
    Path keys = dir.resolve("publisher");
    Run keygen = maestro("release", "keygen", "--key-dir", keys.toString(), "--name", "acme-pub");
    assertThat(keygen.code()).as(keygen.err()).isZero();
    Path jwks = keys.resolve("release-keys.json");

    Path pkg = dir.resolve("hello.tgz");
    Run packaged = maestro("workflow", "package", src.toString(), "-o", pkg.toString());
    assertThat(packaged.code()).as(packaged.err()).isZero();
    assertThat(packaged.out()).contains("workflows hello.yaml").contains("digest sha256:");
    Path again = dir.resolve("again.tgz");
    assertThat(maestro("workflows", "package", src.toString(), "-o", again.toString()).code())
        .isZero();
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(pkg));

    Run unsignedCheck = maestro("workflows", "verify", pkg.toString(), "--keys", jwks.toString());
    assertThat(unsignedCheck.code()).isEqualTo(1);
    assertThat(unsignedCheck.err()).contains("is not signed");
    Path unsigned = dir.resolve("unsigned.tgz");
    Files.copy(pkg, unsigned);

    Run signed = maestro("workflows", "sign", pkg.toString(), "--key", keys.toString());
    assertThat(signed.code()).as(signed.err()).isZero();
    assertThat(signed.out()).contains("with acme-pub+");
    Run ok = maestro("workflows", "verify", pkg.toString(), "--keys", jwks.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).startsWith("OK ").contains("signed by acme-pub+");

    Path tampered = dir.resolve("tampered.tgz");
    Files.write(tampered, flipByte(Files.readAllBytes(pkg), "north,42"));
    Run bad = maestro("workflows", "verify", tampered.toString(), "--keys", jwks.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("FAILED digest check on data/input.csv");
    assertThat(bad.err()).doesNotContain("Exception");

    try (MaestroServer server =
        MaestroServer.start(
            new ConfigLoader(Map.of(), dir)
                .load(
                    Optional.empty(),
                    Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "dataDir", dir.resolve("data").toString(),
                        "log.level", "WARN",
                        "policy.defaultProfile", "regulated",
                        "packages.trustedKeys", jwks.toString())))) {
      String url = "http://127.0.0.1:" + server.port();
      Run issued =
          maestro(
              "token",
              "issue",
              "--dev",
              "--url",
              url,
              "--tenant",
              "acme",
              "--role",
              "tenant_admin",
              "--create");
      assertThat(issued.code()).as(issued.err()).isZero();
      String token = issued.out().strip();

      Run refused =
          maestro("workflows", "publish", unsigned.toString(), "--url", url, "--token", token);
      assertThat(refused.code()).isNotZero();
      assertThat(refused.err()).contains("workflow_package_unsigned");

      Run refusedTamper =
          maestro("workflows", "publish", tampered.toString(), "--url", url, "--token", token);
      assertThat(refusedTamper.code()).isNotZero();
      assertThat(refusedTamper.err())
          .contains("workflow_package_tampered")
          .contains("data/input.csv");

      Run published =
          maestro("workflows", "publish", pkg.toString(), "--url", url, "--token", token);
      assertThat(published.code()).as(published.err()).isZero();
      assertThat(published.out())
          .contains("packaged-hello@1 is published")
          .contains("signed by acme-pub+");
      Run show =
          maestro(
              "workflow",
              "show",
              "packaged-hello@1",
              "--output",
              "json",
              "--url",
              url,
              "--token",
              token);
      assertThat(show.out()).contains("\"package\"").contains("acme-pub+");

      // list and show go through the Java client (module client) with the CLI's own wording.
      Run list = maestro("workflows", "list", "--url", url, "--token", token);
      assertThat(list.code()).as(list.err()).isZero();
      assertThat(list.out()).contains("packaged-hello");
      Run text = maestro("workflows", "show", "packaged-hello@1", "--url", url, "--token", token);
      assertThat(text.out()).startsWith("packaged-hello@1  PUBLISHED  sha256:");
      Run missing = maestro("workflows", "show", "nope", "--url", url, "--token", token);
      assertThat(missing.code()).isNotZero();
      assertThat(missing.err().strip())
          .isEqualTo("maestro: cannot read nope: no workflow nope (workflow_not_found)");
    }
  }
}
