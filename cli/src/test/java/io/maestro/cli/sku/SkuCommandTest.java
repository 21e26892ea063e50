package io.maestro.cli.sku;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import io.maestro.cli.InProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class SkuCommandTest {
  @Test
  void model_mid_pricesFromThePriceBookAndGivesTheMargin() {
    Run r = maestro("sku", "model", "--scenario", "mid");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Hosted SaaS Pro (price book 2026-12-01, `standard` prices)")
        .contains("| runs | 300.00 |  |")
        .contains("| **total** | **1733.30** | **84.57** |")
        .contains("Gross margin: **95.1%**");
  }

  @Test
  void model_isReproducible() {
    assertThat(maestro("sku", "model", "--scenario", "all").out())
        .isEqualTo(maestro("sku", "model", "--scenario", "all").out());
  }

  @Test
  void model_unknownScenario_isAUsageErrorNamingTheChoices() {
    Run r = maestro("sku", "model", "--scenario", "huge");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no scenario huge; choose small, mid, large");
  }

  @Test
  void list_showsStandardWithoutGovernanceControls() {
    Run r = maestro("sku", "list");

    assertThat(r.out())
        .contains("| `saas-standard` | saas | `hosted-saas` | — | — | — | — | — |")
        .contains("| `saas-pro` | saas | `hosted-saas` | yes | yes | — | yes | — |");
  }

  @Test
  void docsSku_carriesTheCommandsCurrentOutput() throws IOException {
    String doc = Files.readString(CliRunner.root().resolve("docs/sku.md"));

    assertThat(doc)
        .as("docs/sku.md is stale: paste `maestro sku list` and `maestro sku model --scenario all`")
        .contains(maestro("sku", "list").out().strip())
        .contains(maestro("sku", "model", "--scenario", "all").out().strip());
  }
}
