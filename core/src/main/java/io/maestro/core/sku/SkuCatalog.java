package io.maestro.core.sku;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The editions' SKUs, shipped in the jar ({@code io/maestro/core/sku/skus.yaml}): what {@code
 * edition} and {@code sku} in the configuration select. Immutable and thread-safe.
 */
public final class SkuCatalog {
  private static final String RESOURCE = "skus.yaml";

  private final Map<String, Sku> skus;
  private final Map<String, String> defaults;

  private SkuCatalog(Map<String, Sku> skus, Map<String, String> defaults) {
    this.skus = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skus));
    this.defaults = Map.copyOf(defaults);
  }

  /** The catalog this build ships. */
  public static SkuCatalog shipped() {
    try (InputStream in = SkuCatalog.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the SKU catalog is missing from this build");
      }
      return parse(Json.YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the SKU catalog", e);
    }
  }

  static SkuCatalog parse(JsonNode doc) {
    Map<String, Sku> skus = new LinkedHashMap<>();
    for (var e : doc.path("skus").properties()) {
      JsonNode s = e.getValue();
      Map<String, Boolean> features = new LinkedHashMap<>();
      s.path("features")
          .properties()
          .forEach(f -> features.put(f.getKey(), f.getValue().asBoolean()));
      Map<String, Long> quotas = new LinkedHashMap<>();
      s.path("quotas").properties().forEach(q -> quotas.put(q.getKey(), q.getValue().asLong()));
      Map<String, BigDecimal> slo = new LinkedHashMap<>();
      s.path("slo").properties().forEach(q -> slo.put(q.getKey(), q.getValue().decimalValue()));
      JsonNode p = s.path("price");
      skus.put(
          e.getKey(),
          new Sku(
              e.getKey(),
              s.path("edition").asText(),
              s.path("title").asText(e.getKey()),
              s.path("policyProfile").asText(),
              features,
              quotas,
              slo,
              new Sku.Price(
                  p.path("pricebookSku").asText("standard"),
                  new BigDecimal(p.path("platformFeeUSD").asText("0")),
                  new BigDecimal(p.path("seatUSD").asText("0")))));
    }
    Map<String, String> defaults = new LinkedHashMap<>();
    doc.path("defaults").properties().forEach(d -> defaults.put(d.getKey(), d.getValue().asText()));
    for (var d : defaults.entrySet()) {
      Sku s = skus.get(d.getValue());
      if (s == null || !s.edition().equals(d.getKey())) {
        throw new IllegalStateException(
            "the default SKU of " + d.getKey() + " is not one of its SKUs: " + d.getValue());
      }
    }
    return new SkuCatalog(skus, defaults);
  }

  public Map<String, Sku> skus() {
    return skus;
  }

  public Optional<Sku> sku(String name) {
    return Optional.ofNullable(skus.get(name));
  }

  /** The SKU an edition runs without a configured one; it gates nothing off. */
  public Sku defaultFor(String edition) {
    String name = defaults.get(edition);
    if (name == null) {
      throw new IllegalArgumentException("no edition " + edition);
    }
    return skus.get(name);
  }

  /**
   * The SKU for an edition and an optional configured name.
   *
   * @throws IllegalArgumentException naming the valid choices when it is unknown or of another
   *     edition
   */
  public Sku select(String edition, String name) {
    if (name == null || name.isEmpty()) {
      return defaultFor(edition);
    }
    Sku s = skus.get(name);
    if (s == null) {
      throw new IllegalArgumentException("must be one of " + String.join(", ", skus.keySet()));
    }
    if (!s.edition().equals(edition)) {
      throw new IllegalArgumentException(
          "belongs to the " + s.edition() + " edition, not " + edition);
    }
    return s;
  }
}
