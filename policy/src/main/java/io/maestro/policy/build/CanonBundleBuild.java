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
 * bundle, names its revision after its content, signs it with an Ed25519 key derived from that
 * content and writes the bundle and the public key into the classes directory. The key is trusted
 * for nothing but this one bundle, which travels in the same jar as its public key, so deriving it
 * from the content costs no protection and makes the policy jar reproducible (ADR 0025; ADR 0004
 * used a fresh random key, which made every build's jar differ).
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
    // The profile lock travels beside the bundle (not in it), for compliance packs to carry.
    Path lock = Path.of(args[0]).resolve("profiles.lock");
    if (Files.isRegularFile(lock)) {
      Files.copy(
          lock, out.resolve("profiles.lock"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
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
    Keys.SigningKey key = contentKey(unsigned.contentDigest());
    Bundle signed =
        BundleSigner.sign(unsigned, key, BundleSigner.Options.keyId(CanonBundle.KEY_ID));
    if (publicKeyOut != null) {
      Files.createDirectories(publicKeyOut.toAbsolutePath().getParent());
      Files.writeString(
          publicKeyOut, Keys.toPem(key.publicKey().orElseThrow()), StandardCharsets.US_ASCII);
    }
    return signed;
  }

  /** The Ed25519 key of a content digest: its seed is SHA-256 of a label and the digest. */
  static Keys.SigningKey contentKey(String contentDigest) {
    byte[] seed;
    try {
      seed =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  ("maestro canon bundle build key\n" + contentDigest)
                      .getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
    // PKCS#8 of an Ed25519 private key (RFC 8410): a fixed prefix, then the 32-byte seed.
    byte[] der = java.util.HexFormat.of().parseHex("302e020100300506032b657004220420");
    byte[] pkcs8 = java.util.Arrays.copyOf(der, der.length + seed.length);
    System.arraycopy(seed, 0, pkcs8, der.length, seed.length);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + java.util.Base64.getMimeEncoder().encodeToString(pkcs8)
            + "\n-----END PRIVATE KEY-----\n";
    return Keys.parseSigningKey(pem, java.util.Optional.of(SignatureAlgorithm.EdDSA), "canon key");
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
