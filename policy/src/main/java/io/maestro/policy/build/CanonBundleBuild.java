package io.maestro.policy.build;

import io.maestro.policy.CanonBundle;
import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleIO;
import io.maestro.policy.bundle.BundleSigner;
import io.maestro.policy.bundle.Keys;
import io.maestro.policy.bundle.SignatureAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Build step (run by Maven in the policy module): packs {@code policies/} without its tests into a
 * bundle, names its revision after its content, signs it with a fresh Ed25519 key and writes the
 * bundle and the public key into the classes directory. The private key never touches disk, so no
 * one can sign another bundle that this build's key would accept.
 */
public final class CanonBundleBuild {
  /** Files of {@code policies/} that are not part of the runtime bundle. */
  public static final List<String> IGNORE = List.of("*_test.rego", "*.md", "profiles.lock");

  private CanonBundleBuild() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CanonBundleBuild <policies dir> <output dir>");
      System.exit(2);
    }
    Path out = Path.of(args[1]);
    Bundle signed = build(Path.of(args[0]), out.resolve("canon.pub.pem"));
    Files.createDirectories(out);
    BundleIO.writeTarGz(signed, out.resolve("canon.tar.gz"));
    System.out.println(
        "canon policy bundle "
            + signed.revision()
            + " ("
            + signed.modules().size()
            + " modules, "
            + signed.contentDigest()
            + ") -> "
            + out.resolve("canon.tar.gz"));
  }

  /** Builds and signs the canon bundle; writes the public key to {@code publicKeyOut} if set. */
  public static Bundle build(Path policies, Path publicKeyOut) throws IOException {
    Bundle unsigned = revisioned(BundleIO.read(policies, IGNORE).withName("maestro-canon"));
    Keys.SigningKey key = Keys.generate(SignatureAlgorithm.EdDSA);
    Bundle signed =
        BundleSigner.sign(unsigned, key, BundleSigner.Options.keyId(CanonBundle.KEY_ID));
    if (publicKeyOut != null) {
      Files.createDirectories(publicKeyOut.toAbsolutePath().getParent());
      Files.writeString(
          publicKeyOut, Keys.toPem(key.publicKey().orElseThrow()), StandardCharsets.US_ASCII);
    }
    return signed;
  }

  /** The revision is derived from the content, so the same policies always get the same one. */
  public static Bundle revisioned(Bundle b) {
    Bundle blank = b.withManifest(b.manifest().withRevision(""));
    String digest = blank.contentDigest();
    return blank.withManifest(
        blank
            .manifest()
            .withRevision(
                "canon-" + digest.substring("sha256:".length(), "sha256:".length() + 12)));
  }
}
