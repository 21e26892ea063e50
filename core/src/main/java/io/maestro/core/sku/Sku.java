package io.maestro.core.sku;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One SKU of an edition: its feature gates, default policy profile, default tenant quotas, SLO
 * targets and prices. Immutable.
 *
 * @param features gate name → on; a gate not listed is on
 * @param quotas default tenant quotas (maxConcurrentRuns, maxStepsPerMinute, maxReceiptBacklog)
 * @param slo SLO targets (availabilityPercent, apiP95Ms, policyEvalP95Ms)
 */
public record Sku(
    String name,
    String edition,
    String title,
    String policyProfile,
    Map<String, Boolean> features,
    Map<String, Long> quotas,
    Map<String, BigDecimal> slo,
    Price price) {

  /** The gates every SKU table lists, in the order docs show them. */
  public static final java.util.List<String> FEATURES =
      java.util.List.of(
          "governance_controls",
          "billing_webhooks",
          "compliance_pack",
          "incident_automation",
          "custom_task_types");

  public Sku {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(edition, "edition");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(policyProfile, "policyProfile");
    features = java.util.Collections.unmodifiableMap(new TreeMap<>(features));
    quotas = java.util.Collections.unmodifiableMap(new TreeMap<>(quotas));
    slo = java.util.Collections.unmodifiableMap(new TreeMap<>(slo));
    Objects.requireNonNull(price, "price");
  }

  /**
   * What the SKU costs a tenant besides usage.
   *
   * @param pricebookSku the metering price book's SKU that prices usage
   */
  public record Price(String pricebookSku, BigDecimal platformFeeUsd, BigDecimal seatUsd) {
    public Price {
      Objects.requireNonNull(pricebookSku, "pricebookSku");
      Objects.requireNonNull(platformFeeUsd, "platformFeeUsd");
      Objects.requireNonNull(seatUsd, "seatUsd");
    }
  }

  public boolean enabled(String feature) {
    return features.getOrDefault(feature, true);
  }
}
