package io.maestro.provenance.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ArtifactRulesTest {
  static final String LAYOUT =
      """
      _type: layout
      steps:
        - name: build
          attestation: a/build.json
          predicate_type: p
          functionaries: [k]
          expected_products:
            - [CREATE, "lib/*.jar"]
            - [REQUIRE, "app.jar"]
            - [CREATE, "app.jar"]
            - [DISALLOW, "*"]
        - name: sign
          attestation: a/sign.json
          predicate_type: p
          functionaries: [k]
          expected_materials:
            - [MATCH, "*", WITH, PRODUCTS, FROM, build]
            - [DISALLOW, "*"]
      """;

  final ReleaseLayout layout = ReleaseLayout.parse(LAYOUT);

  @Test
  void create_acceptsProductsAcrossDirectories() {
    assertThat(check("build", true, Map.of("app.jar", "1", "lib/x/y.jar", "2"))).isEmpty();
  }

  @Test
  void require_failsWhenNothingMatches() {
    assertThat(check("build", true, Map.of("lib/y.jar", "2")))
        .hasValueSatisfying(why -> assertThat(why).startsWith("REQUIRE app.jar"));
  }

  @Test
  void disallow_failsOnWhatNoRuleAccepted() {
    assertThat(check("build", true, Map.of("app.jar", "1", "README", "3")))
        .hasValueSatisfying(why -> assertThat(why).contains("README"));
  }

  @Test
  void match_needsTheSameDigestAsTheEarlierStep() {
    Map<String, Map<String, String>> earlier = Map.of("build", Map.of("app.jar", "1"));
    var rules = layout.step("sign").expectedMaterials();

    assertThat(ArtifactRules.check(rules, Map.of("app.jar", "1"), false, earlier)).isEmpty();
    assertThat(ArtifactRules.check(rules, Map.of("app.jar", "9"), false, earlier)).isPresent();
  }

  @Test
  void parse_refusesUnknownRules() {
    assertThatThrownBy(() -> ReleaseLayout.parse(LAYOUT.replace("[DISALLOW", "[FORBID")))
        .hasMessageContaining("unknown artifact rule FORBID");
  }

  private java.util.Optional<String> check(String step, boolean products, Map<String, String> a) {
    return ArtifactRules.check(layout.step(step).expectedProducts(), a, products, Map.of());
  }
}
