package io.maestro.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.problem.MaestroException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceBookTest {
  static final Path DIR =
      Path.of(System.getProperty("maestro.root", "..")).resolve("metering/pricebook");

  /**
   * metering/pricebook/pricebook.lock pins each released book to its bytes: editing a released book
   * fails here (and at start-up), so a price changes only through a new version.
   */
  @Test
  void everyReleasedBook_matchesItsPinAndPricesEveryEventType() throws Exception {
    List<String> pins =
        Files.readAllLines(DIR.resolve("pricebook.lock")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(pins).isNotEmpty();
    for (String pin : pins) {
      String[] parts = pin.split("\\s+");
      byte[] bytes = Files.readAllBytes(DIR.resolve("pricebook-" + parts[0] + ".yaml"));
      assertThat("sha256:" + PriceBook.sha256(bytes)).as(parts[0]).isEqualTo(parts[1]);
      PriceBook book = PriceBook.load(parts[0]);
      assertThat(book.version()).isEqualTo(parts[0]);
      book.skus()
          .values()
          .forEach(s -> assertThat(s.prices()).containsOnlyKeys(EventType.values()));
    }
    assertThat(PriceBook.active().version()).isEqualTo(pins.get(pins.size() - 1).split("\\s+")[0]);
  }

  @Test
  void cost_isQuantityTimesPriceTimesWeightPerUnitRoundedToNanoDollars() {
    PriceBook book = PriceBook.load("2026-12-01");
    assertThat(book.cost("standard", EventType.STEP_EXECUTED, 1000, "standard"))
        .isEqualByComparingTo("0.00004");
    assertThat(book.cost("standard", EventType.STEP_EXECUTED, 1000, "large"))
        .isEqualByComparingTo("0.00016");
    assertThat(book.cost("standard", EventType.STORAGE_BYTES_WRITTEN, 1, "standard"))
        .as("0.025 / 1e9 rounds half-even to 0 nano-dollars")
        .isEqualTo(new BigDecimal("0E-9"));
    assertThat(book.cost("standard", EventType.STORAGE_BYTES_WRITTEN, 2_000_000_000L, "standard"))
        .isEqualByComparingTo("0.05");
    assertThat(book.cost("enterprise", EventType.RUN_STARTED, 3, "standard"))
        .isEqualByComparingTo("0.0024");
  }

  @Test
  void cost_refusesUnknownSkuOrResourceClass() {
    PriceBook book = PriceBook.active();
    assertThatThrownBy(() -> book.cost("gold", EventType.RUN_STARTED, 1, "standard"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> book.cost("standard", EventType.STEP_EXECUTED, 1, "gpu"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void load_refusesAVersionThatIsNotPinned() {
    assertThatThrownBy(() -> PriceBook.load("1999-01-01"))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("not in pricebook.lock");
  }

  @Test
  void parse_refusesABookThatLeavesAnEventTypeUnpriced() {
    String yaml =
        "version: x\ncurrency: USD\nskus:\n  standard:\n    prices:\n"
            + "      run_started: {usd: '1', per: 1}\n    resource_classes: {standard: '1'}\n";
    assertThatThrownBy(() -> PriceBook.parse(yaml.getBytes(StandardCharsets.UTF_8), "sha256:x"))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("no price for step_executed");
  }
}
