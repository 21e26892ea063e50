package io.maestro.tenancy.brand;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.problem.MaestroException;
import org.junit.jupiter.api.Test;

class TypographyTest {
  static BrandPack pack(String typography) {
    return BrandPack.parse(
        "typeset",
        BrandPackTest.doc(
            "{\"name\":\"n\",\"product_name\":\"p\",\"typography\":" + typography + "}"));
  }

  static String refused(String typography) {
    try {
      pack(typography);
    } catch (MaestroException e) {
      return e.code().code() + ": " + e.getMessage();
    }
    throw new AssertionError("accepted " + typography);
  }

  @Test
  void tokens_areCanonical_andBecomeTheConsolesCustomProperties() {
    BrandPack p =
        pack(
            "{\"font_family\":\"Inter, 'Noto Sans', SANS-SERIF\","
                + "\"heading_font_family\":\"\\\"Source Serif 4\\\", serif\","
                + "\"mono_font_family\":\"ui-monospace\","
                + "\"font_size\":\"17.0px\",\"font_size_small\":\"0.875rem\",\"line_height\":1.50}");
    assertThat(p.typography())
        .containsEntry("font_family", "\"Inter\", \"Noto Sans\", sans-serif")
        .containsEntry("heading_font_family", "\"Source Serif 4\", serif")
        .containsEntry("mono_font_family", "ui-monospace")
        .containsEntry("font_size", "17px")
        .containsEntry("font_size_small", "0.875rem")
        .containsEntry("line_height", "1.5");
    assertThat(p.css())
        .isEqualTo(
            ":root {\n"
                + "  --mc-font: \"Inter\", \"Noto Sans\", sans-serif;\n"
                + "  --mc-font-heading: \"Source Serif 4\", serif;\n"
                + "  --mc-font-mono: ui-monospace;\n"
                + "  --mc-font-size: 17px;\n"
                + "  --mc-font-size-small: 0.875rem;\n"
                + "  --mc-line-height: 1.5;\n"
                + "}\n");
    assertThat(p.toJson().path("typography").path("font_size").asText()).isEqualTo("17px");
    // Read back from its stored form, the pack is the same.
    assertThat(BrandPack.parse("typeset", stripId(p))).isEqualTo(p);
  }

  static com.fasterxml.jackson.databind.JsonNode stripId(BrandPack p) {
    var o = p.toJson();
    o.remove("id");
    return o;
  }

  @Test
  void aPackWithoutTypography_keepsTheDefaultTheme() {
    BrandPack p =
        BrandPack.parse("plain", BrandPackTest.doc("{\"name\":\"n\",\"product_name\":\"p\"}"));
    assertThat(p.typography()).isEmpty();
    assertThat(p.toJson().has("typography")).isFalse();
    assertThat(p.css()).isEqualTo(":root {\n}\n");
  }

  @Test
  void anythingThatCouldEscapeTheStylesheetOrHurtReadability_isRefused() {
    assertThat(refused("{\"font_family\":\"x;} body{display:none}, sans-serif\"}"))
        .startsWith("brand_typography_invalid");
    assertThat(refused("{\"font_family\":\"Inter\"}")).contains("generic family");
    assertThat(refused("{\"font_family\":\"url(http://evil), sans-serif\"}"))
        .startsWith("brand_typography_invalid");
    assertThat(refused("{\"font_family\":\"'a\\\"b', sans-serif\"}"))
        .startsWith("brand_typography_invalid");
    assertThat(refused("{\"font_family\":\"a, b, c, d, e, f, serif\"}")).contains("at most 6");
    assertThat(refused("{\"font_family\":42}")).startsWith("brand_typography_invalid");
    assertThat(refused("{\"font_size\":\"10px\"}")).contains("12px to 24px");
    assertThat(refused("{\"font_size\":\"2rem\"}")).contains("12px to 24px");
    assertThat(refused("{\"font_size\":\"16pt\"}")).contains("px or rem");
    assertThat(refused("{\"font_size\":\"calc(1px + 1em)\"}")).contains("px or rem");
    assertThat(refused("{\"font_size\":\"14px\",\"font_size_small\":\"16px\"}"))
        .contains("not be larger");
    assertThat(refused("{\"line_height\":1}")).contains("1.2 to 2");
    assertThat(refused("{\"line_height\":\"normal\"}")).contains("1.2 to 2");
    assertThat(refused("{\"letter_spacing\":\"1px\"}")).contains("unknown typography token");
    assertThat(refused("[\"Inter\"]")).contains("object of design tokens");
  }
}
