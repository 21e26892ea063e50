package io.maestro.evidence.controls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/compliance/controls.md is the catalog rendered; regenerate it with {@code
 * -Dmaestro.regenerate=true} after changing catalog.yaml.
 */
class CatalogDocTest {
  static final Path DOC = Path.of("..", "docs", "compliance", "controls.md");

  @Test
  void theRenderedCatalogIsTheDocument() throws Exception {
    ControlCatalog catalog = ControlCatalog.standard();
    String rendered = CatalogDoc.markdown(catalog);
    if (Boolean.getBoolean("maestro.regenerate")) {
      Files.writeString(DOC, rendered);
    }
    assertThat(Files.readString(DOC))
        .as("docs/compliance/controls.md is stale: rerun with -Dmaestro.regenerate=true")
        .isEqualTo(rendered);
    for (ControlCatalog.Control c : catalog.controls()) {
      assertThat(rendered).contains("`" + c.id() + "`");
    }
  }
}
