package io.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.policy.CanonBundle;
import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleIO;
import io.maestro.policy.bundle.BundleSigner;
import io.maestro.policy.bundle.Keys;
import io.maestro.policy.bundle.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro server} with an operator's policy bundle that was changed after signing. */
class PolicyBundleServerIT {
  @TempDir Path dir;

  @Test
  void server_withATamperedBundle_refusesToStartWithOneLine() throws Exception {
    Keys.SigningKey key = Keys.generate(SignatureAlgorithm.EdDSA);
    Bundle canon = CanonBundle.load().bundle();
    Map<String, byte[]> files = new TreeMap<>();
    canon.paths().forEach(p -> files.put(p, canon.file(p).orElseThrow()));
    Bundle signed =
        BundleSigner.sign(
            Bundle.of("ops.tar.gz", files, canon.manifest().withRevision("ops-1")),
            key,
            BundleSigner.Options.keyId("ops"));
    files.clear();
    signed.paths().forEach(p -> files.put(p, signed.file(p).orElseThrow()));
    String authz = "maestro/authz/authz.rego";
    files.put(
        authz,
        (new String(files.get(authz), StandardCharsets.UTF_8) + "\n# edited\n")
            .getBytes(StandardCharsets.UTF_8));
    Path bundle = dir.resolve("ops.tar.gz");
    BundleIO.writeTarGz(new Bundle("ops.tar.gz", files, signed.signatures()), bundle);
    Path pem = dir.resolve("ops.pub.pem");
    Files.writeString(pem, Keys.toPem(key.publicKey().orElseThrow()));

    CliRunner.Result r =
        CliRunner.run(
            dir,
            Map.of(
                "MAESTRO_POLICY_BUNDLE_PATH",
                bundle.toString(),
                "MAESTRO_POLICY_BUNDLE_KEYS",
                "ops=" + pem),
            "server",
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--data-dir",
            dir.resolve("data").toString());

    assertThat(r.exitCode()).as(r.stderr()).isNotZero();
    List<String> refusal =
        r.stderr().lines().filter(l -> l.startsWith("maestro: cannot start the server")).toList();
    assertThat(refusal)
        .singleElement()
        .asString()
        .startsWith(
            "maestro: cannot start the server: policy.bundle.path: "
                + bundle
                + " was not activated:")
        .contains(authz);
    assertThat(r.stderr() + r.stdout()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
