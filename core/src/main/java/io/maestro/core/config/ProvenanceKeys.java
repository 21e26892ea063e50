package io.maestro.core.config;

import static io.maestro.core.config.KeySpec.key;
import static io.maestro.core.config.KeySpec.millis;
import static io.maestro.core.config.KeySpec.number;
import static io.maestro.core.config.KeySpec.path;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Signatures: what the server signs (receipt-log checkpoints) and whose signatures it trusts
 * (workflow packages, the release it runs).
 */
public final class ProvenanceKeys {
  public static final ConfigKey<String> ORIGIN =
      key("provenance.origin", "maestro.local", ConfigValues::parseOrigin)
          .doc(
              "The installation's name in signed checkpoints (`<origin>/tenant/<id>`) and in the"
                  + " signing key's name: a schema-less URL such as `maestro.example.com`.");
  public static final ConfigKey<Duration> CHECKPOINT_INTERVAL =
      millis("provenance.checkpointIntervalMillis", "1000", 10, 3_600_000)
          .doc("The longest a receipt log waits for a signed checkpoint, in milliseconds.");
  public static final ConfigKey<Integer> CHECKPOINT_EVERY_RECEIPTS =
      number("provenance.checkpointEveryReceipts", "1000", 1, 1_000_000)
          .doc("Sign a log's checkpoint early once this many of its receipts are unsigned.");
  public static final ConfigKey<Path> PACKAGES_TRUSTED_KEYS =
      path("packages.trustedKeys")
          .doc(
              "A JWKS file (Ed25519 keys, as `maestro release keygen` writes) of the publishers"
                  + " whose signed workflow packages the server accepts. Empty: no publisher is"
                  + " trusted.");
  public static final ConfigKey<Path> RELEASE_VERIFY_DIR =
      path("release.verify.dir")
          .doc(
              "A signed release directory (`maestro release sign`) that `maestro server` verifies,"
                  + " with the running jars, before serving; it refuses to start when either fails."
                  + " Also `--verify-release`.");
  public static final ConfigKey<Path> RELEASE_VERIFY_KEYS =
      path("release.verify.keys")
          .doc(
              "The release public keys (JWKS) for `release.verify.dir`. Also"
                  + " `--release-keys`.");

  static final List<ConfigKey<?>> ALL =
      List.of(
          ORIGIN,
          CHECKPOINT_INTERVAL,
          CHECKPOINT_EVERY_RECEIPTS,
          PACKAGES_TRUSTED_KEYS,
          RELEASE_VERIFY_DIR,
          RELEASE_VERIFY_KEYS);

  private ProvenanceKeys() {}
}
