package io.maestro.policy;

import io.maestro.core.sku.Sku;
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
 * @param sku the edition's SKU, whose feature gates every input carries ({@code
 *     input.platform.sku}, {@code input.platform.features}); empty: no gates in the input
 */
public record PdpSettings(
    String defaultProfile,
    String edition,
    Duration deadline,
    Optional<BundleVerifier.Config> trust,
    Optional<Sku> sku) {

  public PdpSettings(
      String defaultProfile,
      String edition,
      Duration deadline,
      Optional<BundleVerifier.Config> trust) {
    this(defaultProfile, edition, deadline, trust, Optional.empty());
  }

  public PdpSettings {
    Objects.requireNonNull(sku, "sku");
    if (sku.isPresent() && !sku.get().edition().equals(edition)) {
      throw new IllegalArgumentException(
          "SKU " + sku.get().name() + " belongs to the " + sku.get().edition() + " edition");
    }
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
    return new PdpSettings(defaultProfile, edition, deadline, Optional.of(config), sku);
  }

  public PdpSettings withDeadline(Duration d) {
    return new PdpSettings(defaultProfile, edition, d, trust, sku);
  }

  public PdpSettings withEdition(String e) {
    return new PdpSettings(defaultProfile, e, deadline, trust, Optional.empty());
  }

  /** The same settings under a SKU (and its edition). */
  public PdpSettings withSku(Sku s) {
    return new PdpSettings(defaultProfile, s.edition(), deadline, trust, Optional.of(s));
  }
}
