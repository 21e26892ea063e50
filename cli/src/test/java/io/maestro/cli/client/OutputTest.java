package io.maestro.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import org.junit.jupiter.api.Test;

class OutputTest {
  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  @Test
  void smallAmounts_printInPlainNotation_notScientific() throws Exception {
    JsonNode budget =
        json("{\"costUSD\": 8E-7, \"remaining\": 1.87881E-4, \"spent\": 0.002952293}");

    assertThat(Output.text(budget.path("costUSD"))).isEqualTo("0.0000008");
    assertThat(Output.text(budget.path("remaining"))).isEqualTo("0.000187881");
    assertThat(Output.text(budget.path("spent"))).isEqualTo("0.002952293");
  }

  @Test
  void otherValues_printAsBefore() throws Exception {
    JsonNode v = json("{\"n\": 100, \"d\": 2.5, \"s\": \"E-7\", \"o\": {\"a\": 1}, \"z\": null}");

    assertThat(Output.text(v.path("n"))).isEqualTo("100");
    assertThat(Output.text(v.path("d"))).isEqualTo("2.5");
    assertThat(Output.text(v.path("s"))).isEqualTo("E-7");
    assertThat(Output.text(v.path("o"))).isEqualTo("{\"a\":1}");
    assertThat(Output.text(v.path("z"))).isEqualTo("-");
    assertThat(Output.text(v.path("missing"))).isEqualTo("-");
  }
}
