package io.maestro.metering;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.core.problem.MaestroException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A released, immutable price book: per SKU, the price of each event type's unit and the weights of
 * the compute resource classes. Price books ship in the jar under {@code
 * io/maestro/metering/pricebook/}, each pinned by its SHA-256 in {@code pricebook.lock}; loading
 * one whose bytes differ from its pin fails, so a price can only change through a new version.
 *
 * <p>Costs are exact decimals rounded half-even to nine places (nano-dollars) per event; sums of
 * them are exact, and reports round to the cent only when they print.
 */
public final class PriceBook {
  /** Cost lines keep nine decimal places of a dollar. */
  public static final int COST_SCALE = 9;

  private static final String DIR = "io/maestro/metering/pricebook/";

  private final String version;
  private final String sha256;
  private final Map<String, Sku> skus;

  private PriceBook(String version, String sha256, Map<String, Sku> skus) {
    this.version = version;
    this.sha256 = sha256;
    this.skus = Map.copyOf(skus);
  }

  /**
   * The price of one event type: {@code usd} per {@code per} units.
   *
   * @param usd the price in US dollars
   * @param per how many units of the event type's quantity the price is for
   */
  public record Price(BigDecimal usd, long per) {
    public Price {
      Objects.requireNonNull(usd, "usd");
      if (usd.signum() < 0 || per <= 0) {
        throw new IllegalArgumentException("a price is >= 0 per a positive number of units");
      }
    }
  }

  /** One edition's prices: every event type priced, and the weights of the resource classes. */
  public record Sku(Map<EventType, Price> prices, Map<String, BigDecimal> resourceClasses) {
    public Sku {
      prices = Map.copyOf(prices);
      resourceClasses = Map.copyOf(resourceClasses);
    }
  }

  /** The active price book: the last version in {@code pricebook.lock}. */
  public static PriceBook active() {
    List<String[]> pins = pins();
    return load(pins.get(pins.size() - 1)[0]);
  }

  /** A released version, checked against its pin. */
  public static PriceBook load(String version) {
    String pinned =
        pins().stream()
            .filter(p -> p[0].equals(version))
            .map(p -> p[1])
            .findFirst()
            .orElseThrow(() -> invalid("price book " + version + " is not in pricebook.lock"));
    byte[] bytes = resource("pricebook-" + version + ".yaml");
    String actual = "sha256:" + sha256(bytes);
    if (!actual.equals(pinned)) {
      throw invalid("price book " + version + " has digest " + actual + ", pinned " + pinned);
    }
    return parse(bytes, actual);
  }

  /** Parses a price book document (tests use this for books that are not released). */
  public static PriceBook parse(byte[] yaml, String sha256) {
    JsonNode root;
    try {
      root = Json.YAML.readTree(yaml);
    } catch (IOException e) {
      throw invalid("price book is not valid YAML: " + e.getMessage());
    }
    String version = root.path("version").asText("");
    if (version.isBlank() || !"USD".equals(root.path("currency").asText())) {
      throw invalid("a price book needs a version and currency USD");
    }
    Map<String, Sku> skus = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> sku : root.path("skus").properties()) {
      skus.put(sku.getKey(), parseSku(version, sku.getKey(), sku.getValue()));
    }
    if (skus.isEmpty()) {
      throw invalid("price book " + version + " has no SKUs");
    }
    return new PriceBook(version, sha256, skus);
  }

  private static Sku parseSku(String version, String name, JsonNode node) {
    Map<EventType, Price> prices = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      JsonNode p = node.path("prices").path(type.wire());
      if (p.isMissingNode()) {
        throw invalid(
            "price book " + version + " SKU " + name + " has no price for " + type.wire());
      }
      try {
        prices.put(type, new Price(new BigDecimal(p.path("usd").asText()), p.path("per").asLong()));
      } catch (IllegalArgumentException e) {
        throw invalid("price book " + version + " SKU " + name + " " + type.wire() + ": " + e);
      }
    }
    Map<String, BigDecimal> classes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> c : node.path("resource_classes").properties()) {
      classes.put(c.getKey(), new BigDecimal(c.getValue().asText()));
    }
    if (!classes.containsKey(MeteredEvent.DEFAULT_RESOURCE_CLASS)) {
      throw invalid("price book " + version + " SKU " + name + " has no 'standard' class");
    }
    return new Sku(prices, classes);
  }

  public String version() {
    return version;
  }

  /** {@code sha256:<hex>} of the document. */
  public String sha256() {
    return sha256;
  }

  public Map<String, Sku> skus() {
    return skus;
  }

  /**
   * The cost of {@code quantity} units of {@code type} under {@code sku}: {@code quantity × usd ÷
   * per}, times the resource class's weight for step time, rounded half-even to nano-dollars.
   *
   * @throws IllegalArgumentException for an SKU or resource class the book does not price
   */
  public BigDecimal cost(String sku, EventType type, long quantity, String resourceClass) {
    Sku s = skus.get(sku);
    if (s == null) {
      throw new IllegalArgumentException("price book " + version + " has no SKU " + sku);
    }
    Price price = s.prices().get(type);
    BigDecimal weight = BigDecimal.ONE;
    if (type == EventType.STEP_EXECUTED) {
      weight = s.resourceClasses().get(resourceClass);
      if (weight == null) {
        throw new IllegalArgumentException(
            "price book " + version + " has no resource class " + resourceClass);
      }
    }
    return BigDecimal.valueOf(quantity)
        .multiply(price.usd())
        .multiply(weight)
        .divide(BigDecimal.valueOf(price.per()), COST_SCALE, RoundingMode.HALF_EVEN);
  }

  private static List<String[]> pins() {
    String lock = new String(resource("pricebook.lock"), StandardCharsets.UTF_8);
    List<String[]> pins =
        lock.lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .map(l -> l.split("\\s+"))
            .toList();
    if (pins.isEmpty() || pins.stream().anyMatch(p -> p.length != 2)) {
      throw invalid("pricebook.lock needs lines '<version> sha256:<hex>'");
    }
    return pins;
  }

  private static byte[] resource(String name) {
    try (InputStream in = PriceBook.class.getClassLoader().getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw invalid("missing " + DIR + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw invalid("cannot read " + DIR + name + ": " + e.getMessage());
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static MaestroException invalid(String detail) {
    return new MaestroException(MeteringErrors.PRICE_BOOK_INVALID, detail);
  }
}
