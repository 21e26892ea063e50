package io.maestro.policy;

import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleVerifier;
import io.maestro.rego.PreparedPolicy;
import java.time.Instant;
import java.util.Objects;

/**
 * A verified, compiled bundle that decides. Immutable; the decision point swaps one for another
 * atomically on reload, so a decision always uses one bundle from start to end.
 *
 * @param verified who signed it and which files the signature covered
 * @param digest the bundle's content digest ({@code sha256:…}), stable across archive encodings
 */
public record ActiveBundle(
    Bundle bundle,
    PreparedPolicy policy,
    BundleVerifier.Verified verified,
    String digest,
    Instant activatedAt) {

  public ActiveBundle {
    Objects.requireNonNull(bundle);
    Objects.requireNonNull(policy);
    Objects.requireNonNull(verified);
    Objects.requireNonNull(digest);
    Objects.requireNonNull(activatedAt);
  }

  public String revision() {
    return bundle.revision();
  }
}
