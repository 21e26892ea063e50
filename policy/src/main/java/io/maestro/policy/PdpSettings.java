package io.maestro.policy;

import io.maestro.policy.bundle.BundleVerifier;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the decision point runs.
 *
 * @param defaultProfile the profile for tenants without one ({@code input.tenant.profile})
 * @param edition {@code internal}, {@code white-label} or {@code saas}: selects the governance
 *     profile {@code conductor-governance-<edition>} ({@code input.platform.profile})
 * @param deadline the longest one evaluation may take before the decision fails closed
 * @param trust the keys that may sign bundles activated at run time (hot reload); empty means only
 *     the embedded canon bundle, verified with its own build key, can ever be active
 */
public record PdpSettings(
    String defaultProfile,
    String edition,
    Duration deadline,
    Optional<BundleVerifier.Config> trust) {

  public PdpSettings {
    Objects.requireNonNull(defaultProfile, "defaultProfile");
    Objects.requireNonNull(edition, "edition");
    if (!edition.equals("internal") && !edition.equals("white-label") && !edition.equals("saas")) {
      throw new IllegalArgumentException(
          "edition must be internal, white-label or saas: " + edition);
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("the decision deadline must be positive");
    }
    Objects.requireNonNull(trust, "trust");
  }

  /** Internal edition, {@code internal-default} profile, a 50 ms deadline, no run-time keys. */
  public static PdpSettings defaults() {
    return new PdpSettings("internal-default", "internal", Duration.ofMillis(50), Optional.empty());
  }

  public String governanceProfile() {
    return "conductor-governance-" + edition;
  }

  public PdpSettings withTrust(BundleVerifier.Config config) {
    return new PdpSettings(defaultProfile, edition, deadline, Optional.of(config));
  }

  public PdpSettings withDeadline(Duration d) {
    return new PdpSettings(defaultProfile, edition, d, trust);
  }

  public PdpSettings withEdition(String e) {
    return new PdpSettings(defaultProfile, e, deadline, trust);
  }
}
