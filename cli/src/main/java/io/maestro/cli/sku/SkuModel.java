package io.maestro.cli.sku;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.core.sku.Sku;
import io.maestro.core.sku.SkuCatalog;
import io.maestro.metering.EventType;
import io.maestro.metering.PriceBook;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tenant's month under a SKU: list price (platform fee, seats, usage priced by the active price
 * book), COGS (measured control-plane cost per step, step compute by resource class, storage, a
 * fixed share) and gross margin. Exact decimals, so the same inputs print the same numbers.
 */
final class SkuModel {
  private static final BigDecimal HOUR = BigDecimal.valueOf(3600);
  private static final BigDecimal GB = BigDecimal.valueOf(1_000_000_000L);

  /** One scenario's month. */
  record Month(
      String scenario,
      Sku sku,
      String pricebook,
      Map<String, BigDecimal> price,
      Map<String, BigDecimal> cogs,
      JsonNode inputs) {
    BigDecimal listPrice() {
      return price.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    BigDecimal totalCogs() {
      return cogs.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** (list − COGS) / list, in percent with one decimal. */
    BigDecimal grossMarginPercent() {
      BigDecimal list = listPrice();
      if (list.signum() == 0) {
        return BigDecimal.ZERO;
      }
      return list.subtract(totalCogs())
          .multiply(BigDecimal.valueOf(100))
          .divide(list, 1, RoundingMode.HALF_EVEN);
    }
  }

  private final JsonNode doc;
  private final PriceBook book;
  private final SkuCatalog catalog;

  SkuModel(JsonNode doc, PriceBook book, SkuCatalog catalog) {
    this.doc = doc;
    this.book = book;
    this.catalog = catalog;
  }

  static SkuModel shipped() {
    try (InputStream in = SkuModel.class.getResourceAsStream("model.yaml")) {
      return new SkuModel(Json.YAML.readTree(in), PriceBook.active(), SkuCatalog.shipped());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the SKU model", e);
    }
  }

  java.util.List<String> scenarios() {
    java.util.List<String> out = new java.util.ArrayList<>();
    doc.path("scenarios").fieldNames().forEachRemaining(out::add);
    return out;
  }

  Month month(String scenario) {
    JsonNode s = doc.path("scenarios").path(scenario);
    if (s.isMissingNode()) {
      throw new IllegalArgumentException(
          "no scenario " + scenario + "; choose " + String.join(", ", scenarios()));
    }
    Sku sku = catalog.sku(s.path("sku").asText()).orElseThrow();
    String pb = sku.price().pricebookSku();
    long runs = s.path("runsPerMonth").asLong();
    long steps = runs * s.path("stepsPerRun").asLong();
    BigDecimal stepSeconds = dec(s, "stepSeconds");
    long stepMs = stepSeconds.multiply(BigDecimal.valueOf(steps * 1000)).longValueExact();
    String rc = s.path("resourceClass").asText("standard");
    long approvals = dec(s, "approvalsPerRun").multiply(BigDecimal.valueOf(runs)).longValue();
    long receipts = runs * s.path("receiptsPerRun").asLong();
    long bytes = runs * s.path("storageBytesPerRun").asLong();
    long exports = s.path("exportsPerMonth").asLong();

    Map<String, BigDecimal> price = new LinkedHashMap<>();
    price.put("platform fee", sku.price().platformFeeUsd());
    price.put(
        "seats", sku.price().seatUsd().multiply(BigDecimal.valueOf(s.path("seats").asLong())));
    price.put("runs", book.cost(pb, EventType.RUN_STARTED, runs, rc));
    price.put("step compute", book.cost(pb, EventType.STEP_EXECUTED, stepMs, rc));
    price.put("approvals", book.cost(pb, EventType.APPROVAL_DECISION, approvals, rc));
    price.put("receipts", book.cost(pb, EventType.RECEIPT_EMITTED, receipts, rc));
    price.put("exports", book.cost(pb, EventType.EVIDENCE_EXPORTED, exports, rc));
    price.put("storage", book.cost(pb, EventType.STORAGE_BYTES_WRITTEN, bytes, rc));

    JsonNode c = doc.path("cogs");
    BigDecimal vcpuHour = dec(c, "vcpuHourUSD");
    BigDecimal weight = book.skus().get(pb).resourceClasses().getOrDefault(rc, BigDecimal.ONE);
    Map<String, BigDecimal> cogs = new LinkedHashMap<>();
    cogs.put(
        "control plane",
        dec(c, "controlPlaneVcpuSecondsPerStep")
            .multiply(BigDecimal.valueOf(steps))
            .divide(HOUR, 9, RoundingMode.HALF_EVEN)
            .multiply(vcpuHour));
    cogs.put(
        "step compute",
        stepSeconds
            .multiply(BigDecimal.valueOf(steps))
            .multiply(weight)
            .divide(HOUR, 9, RoundingMode.HALF_EVEN)
            .multiply(vcpuHour));
    cogs.put(
        "storage",
        BigDecimal.valueOf(bytes)
            .divide(GB, 9, RoundingMode.HALF_EVEN)
            .multiply(dec(c, "storageGbMonthUSD")));
    cogs.put("fixed", dec(c, "fixedPerTenantMonthUSD"));
    return new Month(scenario, sku, book.version(), price, cogs, s);
  }

  private static BigDecimal dec(JsonNode n, String field) {
    return new BigDecimal(n.path(field).asText("0"));
  }
}
