package io.maestro.engine.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * The workflow package a version was published from.
 *
 * @param digest {@code sha256:…} of the package's digest manifest
 * @param signer the key id of the trusted key that signed the package; empty when unsigned
 */
public record PackageOrigin(String digest, Optional<String> signer) {
  public PackageOrigin {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(signer, "signer");
  }
}
