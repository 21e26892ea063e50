package io.maestro.tenancy.brand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.core.problem.MaestroException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BrandPackTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode doc(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String svg(String body) {
    return "data:image/svg+xml;base64,"
        + Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8));
  }

  static String code(Runnable r) {
    try {
      r.run();
    } catch (MaestroException e) {
      return e.code().code();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void aValidPack_keepsItsColoursLowerCase_andDrawsTheDefaultThemeElsewhere() throws Exception {
    BrandPack p =
        BrandPack.parse(
            "northwind",
            doc(
                "{\"name\":\"Northwind\",\"product_name\":\"Northwind Flow\","
                    + "\"colors\":{\"banner_bg\":\"#0F4C3A\"},\"logo\":\""
                    + svg(
                        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"4\" height=\"4\" fill=\"#0f4c3a\"/></svg>")
                    + "\"}"));
    assertThat(p.color("banner_bg")).isEqualTo("#0f4c3a");
    assertThat(p.color("fg")).isEqualTo("#1b1f24");
    assertThat(p.css()).isEqualTo(":root {\n  --mc-banner-bg: #0f4c3a;\n}\n");
    assertThat(p.logo()).isPresent();
    assertThat(p.contrast())
        .filteredOn(c -> c.text().equals("banner_fg"))
        .singleElement()
        .satisfies(c -> assertThat(c.ratio()).isEqualTo(9.92));
  }

  @Test
  void contrast_isWcagsRatio() {
    assertThat(Contrast.ratio("#000000", "#ffffff")).isEqualTo(21.0);
    assertThat(Contrast.ratio("#777777", "#ffffff")).isBetween(4.47, 4.49); // the classic AA miss
    assertThat(Contrast.ratio("#ffffff", "#ffffff")).isEqualTo(1.0);
  }

  @Test
  void defects_areRefusedWithStableCodes() throws Exception {
    JsonNode badHex = doc("{\"name\":\"n\",\"product_name\":\"p\",\"colors\":{\"fg\":\"red\"}}");
    assertThat(code(() -> BrandPack.parse("a", badHex))).isEqualTo("brand_color_invalid");
    JsonNode unknownToken =
        doc("{\"name\":\"n\",\"product_name\":\"p\",\"colors\":{\"x\":\"#000000\"}}");
    assertThat(code(() -> BrandPack.parse("a", unknownToken))).isEqualTo("brand_pack_invalid");
    assertThat(code(() -> BrandPack.parse("a", doc("{\"name\":\"n\"}"))))
        .isEqualTo("brand_pack_invalid");
    assertThat(code(() -> BrandPack.parse("A B", doc("{\"name\":\"n\",\"product_name\":\"p\"}"))))
        .isEqualTo("brand_pack_invalid");

    byte[] big = new byte[BrandPack.MAX_LOGO_BYTES + 1];
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, big, 0, 8);
    JsonNode large =
        doc(
            "{\"name\":\"n\",\"product_name\":\"p\",\"logo\":\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(big)
                + "\"}");
    assertThat(code(() -> BrandPack.parse("a", large))).isEqualTo("brand_logo_too_large");
    JsonNode notPng =
        doc("{\"name\":\"n\",\"product_name\":\"p\",\"logo\":\"data:image/png;base64,aGVsbG8=\"}");
    assertThat(code(() -> BrandPack.parse("a", notPng))).isEqualTo("brand_pack_invalid");
  }

  @Test
  void svgThatCouldRunScriptOrLoadAnything_isRefused() {
    for (String bad :
        new String[] {
          "<svg><script>alert(1)</script></svg>",
          "<svg onload=\"alert(1)\"></svg>",
          "<svg><foreignObject><div/></foreignObject></svg>",
          "<svg><a href=\"javascript:alert(1)\"><rect/></a></svg>",
          "<svg><image xlink:href=\"https://evil.example/x.png\"/></svg>",
          "<!DOCTYPE svg [<!ENTITY x \"y\">]><svg>&x;</svg>",
          "<svg><rect fill=\"url(https://evil.example/p)\"/></svg>",
          "<svg><style>@import url(x)</style></svg>",
        }) {
      assertThatThrownBy(() -> SvgCheck.requireSafe(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              MaestroException.class,
              e -> assertThat(e.code().code()).isEqualTo("brand_logo_unsafe"));
    }
    SvgCheck.requireSafe(
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><defs><linearGradient id=\"g\"/></defs>"
            + "<rect fill=\"url(#g)\" width=\"4\" height=\"4\"/></svg>");
  }
}
