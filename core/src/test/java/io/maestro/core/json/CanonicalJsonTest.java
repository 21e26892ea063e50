package io.maestro.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 8785 conformance, driven by the RFC's own examples under {@code vectors/rfc8785}. */
class CanonicalJsonTest {

  static String resource(String name) {
    try (InputStream in = CanonicalJsonTest.class.getResourceAsStream("/vectors/rfc8785/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> appendixB() {
    List<Arguments> out = new ArrayList<>();
    for (String line : resource("numbers.tsv").split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\t");
      out.add(Arguments.of(parts[0], parts[1]));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("appendixB")
  void formatNumber_matchesRfc8785AppendixB(String bits, String expected) {
    double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
    if (expected.equals("error")) {
      assertThatThrownBy(() -> CanonicalJson.formatNumber(value))
          .isInstanceOf(CanonicalizationException.class);
    } else {
      assertThat(CanonicalJson.formatNumber(value)).isEqualTo(expected);
      // And through the whole canonicalizer, as a JSON number node.
      assertThat(CanonicalJson.toCanonicalString(JsonNodeFactory.instance.numberNode(value)))
          .isEqualTo(expected);
    }
  }

  @Test
  void canonicalize_reproducesTheRfcExampleOfSection322() {
    String out =
        new String(
            CanonicalJson.canonicalize(resource("example-3.2.2-input.json")),
            StandardCharsets.UTF_8);
    assertThat(out).isEqualTo(resource("example-3.2.2-output.json"));
  }

  @Test
  void sha256_hashesTheCanonicalBytesOfSection324() throws Exception {
    byte[] expected =
        HexFormat.of().parseHex(resource("example-3.2.4-output.hex").replaceAll("\\s", ""));
    String digest =
        HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(expected));
    assertThat(CanonicalJson.sha256(CanonicalJson.parse(resource("example-3.2.2-input.json"))))
        .isEqualTo("sha256:" + digest);
  }

  @Test
  void canonicalize_producesTheUtf8BytesOfSection324() {
    byte[] expected =
        HexFormat.of().parseHex(resource("example-3.2.4-output.hex").replaceAll("\\s", ""));
    assertThat(CanonicalJson.canonicalize(resource("example-3.2.2-input.json")))
        .isEqualTo(expected);
  }

  @Test
  void canonicalize_sortsMembersByUtf16CodeUnitsAsSection323() {
    String out =
        new String(
            CanonicalJson.canonicalize(resource("sorting-3.2.3-input.json")),
            StandardCharsets.UTF_8);
    List<String> order = new ArrayList<>();
    var parsed = CanonicalJson.parse(out);
    parsed.properties().iterator().forEachRemaining(e -> order.add(e.getValue().asText()));
    assertThat(order)
        .containsExactlyElementsOf(
            List.of(resource("sorting-3.2.3-order.txt").strip().split("\n")));
  }

  @Test
  void canonicalize_rejectsDuplicateMembers() {
    assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"a\":1,\"a\":2}"))
        .isInstanceOf(CanonicalizationException.class);
  }

  @Test
  void canonicalize_rejectsLoneSurrogates() {
    assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"a\":\"\\ud800x\"}"))
        .isInstanceOf(CanonicalizationException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void canonicalize_escapesControlCharactersInLowerCaseHex() {
    assertThat(CanonicalJson.toCanonicalString(JsonNodeFactory.instance.textNode("\u001f\u007f\t")))
        .isEqualTo("\"\\u001f\u007f\\t\"");
  }

  @Property(tries = 2000)
  void formatNumber_readsBackAsTheSameDouble(@ForAll double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return;
    }
    String text = CanonicalJson.formatNumber(value);
    assertThat(Double.parseDouble(text)).isEqualTo(value == 0 ? 0.0 : value);
  }

  @Property(tries = 500)
  void canonicalize_isIdempotent(@ForAll String key, @ForAll String value, @ForAll long n) {
    if (hasLoneSurrogate(key) || hasLoneSurrogate(value)) {
      return;
    }
    var o = JsonNodeFactory.instance.objectNode();
    o.put(key, value);
    o.put("n", n % (1L << 53));
    String once = CanonicalJson.toCanonicalString(o);
    assertThat(new String(CanonicalJson.canonicalize(once), StandardCharsets.UTF_8))
        .isEqualTo(once);
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
