package io.maestro.cli.packages;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.provenance.packages.WorkflowPackage;
import io.maestro.server.MaestroServer;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maestro package build|sign|verify|trust|publish|install|list|show|publishers} as a user
 * runs them against a real server: a package installs only once the tenant trusts its publisher,
 * and a tampered or unsigned one is refused with the failing check named.
 */
class PackageCommandTest {
  @TempDir Path dir;

  static Run ok(Run r) {
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    return r;
  }

  /** {@code pkg} with one byte of {@code file} flipped, its digests and signature kept. */
  static byte[] tampered(Path pkg, String file) throws Exception {
    WorkflowPackage p = WorkflowPackage.read(new ByteArrayInputStream(Files.readAllBytes(pkg)));
    TreeMap<String, byte[]> files = new TreeMap<>(p.files());
    byte[] b = files.get(file).clone();
    b[0] ^= 1;
    files.put(file, b);
    return p.withFiles(files).toBytes();
  }

  @Test
  void buildSignTrustInstall_andTamperedOrUnsignedPackagesAreRefusedNamingTheCheck()
      throws Exception {
    Path src = Files.createDirectories(dir.resolve("billing"));
    Files.writeString(
        src.resolve("workflow.yaml"),
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: billing-report, version: "1"}
        spec:
          tasks:
            - {id: greet, uses: core/log, with: {message: "rows in data/input.csv"}}
        """);
    Files.createDirectories(src.resolve("data"));
    Files.writeString(src.resolve("data/input.csv"), "region,total\nnorth,42\n");
    Path keys = dir.resolve("publisher");
    ok(maestro("release", "keygen", "--key-dir", keys.toString(), "--name", "acme-pub"));
    Path jwks = keys.resolve("release-keys.json");

    Path pkg = dir.resolve("billing.tgz");
    Run built =
        ok(
            maestro(
                "package",
                "build",
                src.toString(),
                "--version",
                "3",
                "--builder",
                "ci:billing",
                "-o",
                pkg.toString()));
    assertThat(built.out())
        .contains("packaged billing@3")
        .contains("workflows workflow.yaml")
        .contains("built by ci:billing from file:billing sha256:");
    Path unsigned = dir.resolve("unsigned.tgz");
    Files.copy(pkg, unsigned);
    ok(maestro("package", "sign", pkg.toString(), "--key", keys.toString()));
    Run verified = ok(maestro("package", "verify", pkg.toString(), "--keys", jwks.toString()));
    assertThat(verified.out())
        .startsWith("OK ")
        .contains("billing@3")
        .contains("signed by acme-pub+")
        .contains("built by ci:billing");
    Path tampered = dir.resolve("tampered.tgz");
    Files.write(tampered, tampered(pkg, "data/input.csv"));
    Run badLocal = maestro("package", "verify", tampered.toString(), "--keys", jwks.toString());
    assertThat(badLocal.code()).isEqualTo(1);
    assertThat(badLocal.err()).contains("FAILED digest check on data/input.csv");

    try (MaestroServer server =
        MaestroServer.start(
            new ConfigLoader(Map.of(), dir)
                .load(
                    Optional.empty(),
                    Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "dataDir", dir.resolve("data").toString(),
                        "log.level", "WARN")))) {
      String url = "http://127.0.0.1:" + server.port();
      String token =
          ok(maestro(
                  "token",
                  "issue",
                  "--dev",
                  "--url",
                  url,
                  "--tenant",
                  "acme",
                  "--role",
                  "tenant_admin",
                  "--create"))
              .out()
              .strip();

      Run untrusted = maestro("package", "install", pkg.toString(), "--url", url, "--token", token);
      assertThat(untrusted.code()).isEqualTo(1);
      assertThat(untrusted.err())
          .contains("workflow_signature_invalid: the signature check failed on");

      Run trusted =
          ok(maestro("package", "trust", keys.toString(), "--url", url, "--token", token));
      assertThat(trusted.out()).startsWith("trusted acme-pub+");
      Run publishers = ok(maestro("package", "publishers", "--url", url, "--token", token));
      assertThat(publishers.out()).contains("acme-pub+").contains("default-catalog");

      Run tamper =
          maestro("package", "install", tampered.toString(), "--url", url, "--token", token);
      assertThat(tamper.code()).isEqualTo(1);
      assertThat(tamper.err())
          .contains("cannot install " + tampered)
          .contains("workflow_package_tampered: the digest check failed on data/input.csv");
      Run bare = maestro("package", "install", unsigned.toString(), "--url", url, "--token", token);
      assertThat(bare.code()).isEqualTo(1);
      assertThat(bare.err()).contains("workflow_package_unsigned: the signature check failed");

      Run published =
          ok(maestro("package", "publish", pkg.toString(), "--url", url, "--token", token));
      assertThat(published.out()).contains("billing@3 is in the catalog").contains("acme-pub+");
      Run list = ok(maestro("package", "list", "--url", url, "--token", token));
      assertThat(list.out()).contains("billing").contains("golden-retry").contains("default");
      Run show = ok(maestro("package", "show", "billing", "--url", url, "--token", token));
      assertThat(show.out()).contains("billing@3  tenant").contains("built by ci:billing");

      Run installed =
          ok(maestro("package", "install", "billing@3", "--url", url, "--token", token));
      assertThat(installed.out())
          .startsWith("installed billing@3")
          .contains("billing-report@1 is published");
      Run golden =
          ok(maestro("package", "install", "golden-retry", "--url", url, "--token", token));
      assertThat(golden.out()).contains("signed by maestro-catalog+").contains("golden-retry@1");
      Run none = maestro("package", "show", "nope", "--url", url, "--token", token);
      assertThat(none.err().strip())
          .isEqualTo("maestro: cannot read nope: no package nope (package_not_found)");
    }
  }
}
