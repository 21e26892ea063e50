package io.maestro.policy;

import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleException;
import io.maestro.policy.bundle.BundleIO;
import io.maestro.policy.bundle.BundleVerifier;
import io.maestro.policy.bundle.Keys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The canon packs as the build packaged them: a bundle signed with a key generated for that one
 * build, whose private half was discarded (see docs/adr/0004-canon-bundle-signed-at-build.md). The
 * public half ships beside the bundle; the decision point verifies the bundle with it at start-up.
 */
public record CanonBundle(Bundle bundle, BundleVerifier.Config trust) {
  /** The key id the build signs the canon bundle with. */
  public static final String KEY_ID = "maestro-canon-build";

  static final String RESOURCE_DIR = "/io/maestro/policy/canon/";
  static final String BUNDLE_FILE = "canon.tar.gz";
  static final String PUBLIC_KEY_FILE = "canon.pub.pem";
  static final String PROFILE_LOCK_FILE = "profiles.lock";

  /** Loads the embedded canon bundle; a missing or unreadable one is a {@link BundleException}. */
  public static CanonBundle load() {
    Bundle bundle;
    try (InputStream in = open(BUNDLE_FILE)) {
      bundle = BundleIO.readTarGz("maestro-canon", in, BundleIO.DEFAULT_SIZE_LIMIT);
    } catch (IOException e) {
      throw new BundleException("canon bundle: cannot read: " + e.getMessage(), e);
    }
    String pem;
    try (InputStream in = open(PUBLIC_KEY_FILE)) {
      pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new BundleException("canon bundle key: cannot read: " + e.getMessage(), e);
    }
    BundleVerifier.TrustedKey key =
        BundleVerifier.TrustedKey.of(Keys.parsePublicKey(pem, PUBLIC_KEY_FILE));
    return new CanonBundle(bundle, BundleVerifier.Config.of(KEY_ID, key));
  }

  /** The public key the canon bundle is verified with, as PEM (for a compliance pack). */
  public static byte[] publicKeyPem() {
    try (InputStream in = open(PUBLIC_KEY_FILE)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new BundleException("canon bundle key: cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * {@code policies/profiles.lock} as the build shipped it: every released profile version pinned
   * to the SHA-256 of its manifest. Empty for a build that did not ship it.
   */
  public static java.util.Optional<byte[]> profileLock() {
    try (InputStream in = CanonBundle.class.getResourceAsStream(RESOURCE_DIR + PROFILE_LOCK_FILE)) {
      return in == null ? java.util.Optional.empty() : java.util.Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new BundleException("profile lock: cannot read: " + e.getMessage(), e);
    }
  }

  private static InputStream open(String name) {
    InputStream in = CanonBundle.class.getResourceAsStream(RESOURCE_DIR + name);
    if (in == null) {
      throw new BundleException(
          "the canon policy bundle is missing from the application ("
              + RESOURCE_DIR
              + name
              + "); rebuild the policy module");
    }
    return in;
  }
}
