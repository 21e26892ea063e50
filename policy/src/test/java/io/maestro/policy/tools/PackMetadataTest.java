package io.maestro.policy.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PackMetadataTest {
  static final String SOURCE =
      """
      # METADATA
      # title: Residency
      # description: Keeps data where it belongs.
      # custom:
      #   severity: high
      #   controls: [GDPR Art. 44]
      #   profiles: [regulated]
      #   reasons:
      #     residency_mismatch: The regions differ.
      #   examples:
      #     - name: EU request on a US workflow
      #       input: {"workflow": {"region": "US"}, "request": {"region": "EU"}}
      #       expect: true
      package demo.residency

      # METADATA
      # title: a rule annotation, not the package's
      deny if input.workflow.region != input.request.region
      """;

  @Test
  void packageAnnotation_isReadWithCustomFields() {
    PackMetadata p = PackMetadata.of("residency.rego", SOURCE).orElseThrow();

    assertThat(p.id()).isEqualTo("demo.residency");
    assertThat(p.title()).isEqualTo("Residency");
    assertThat(p.description()).isEqualTo("Keeps data where it belongs.");
    assertThat(p.severity()).isEqualTo("high");
    assertThat(p.list("controls")).containsExactly("GDPR Art. 44");
    assertThat(p.reasons()).containsEntry("residency_mismatch", "The regions differ.");
    assertThat(p.examples()).hasSize(1);
    assertThat(p.examples().get(0).query()).isEqualTo("data.demo.residency.deny");
    assertThat(p.examples().get(0).expect().asBoolean()).isTrue();
    assertThat(p.isPack()).isTrue();
  }

  @Test
  void packs_skipTestsAndNonPacks() {
    Map<String, PackMetadata> packs =
        PackMetadata.packs(
            Map.of(
                "residency.rego",
                SOURCE,
                "residency_test.rego",
                SOURCE.replace("package demo.residency", "package demo.residency_test"),
                "lib.rego",
                "# METADATA\n# title: lib\n# custom:\n#   pack: false\npackage demo.lib\n",
                "plain.rego",
                "package demo.plain\n"));
    assertThat(packs).containsOnlyKeys("demo.residency");
  }

  @Test
  void page_rendersTableReasonsAndExamples() {
    String page = PolicyDocs.page(PackMetadata.of("residency.rego", SOURCE).orElseThrow());
    assertThat(page)
        .startsWith("# Residency (`demo.residency`)\n\nKeeps data where it belongs.\n")
        .contains("| Severity | high |", "| `residency_mismatch` | The regions differ. |")
        .contains("### EU request on a US workflow", "Query: `data.demo.residency.deny`")
        .endsWith("do not edit by hand._\n");
  }
}
