package io.maestro.evidence.controls;

/**
 * The control catalog rendered as Markdown ({@code docs/compliance/controls.md}); a test keeps the
 * document equal to the catalog, so the two cannot drift.
 */
public final class CatalogDoc {
  private CatalogDoc() {}

  public static String markdown(ControlCatalog catalog) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Control catalog\n\n");
    sb.append("<!-- Generated from evidence/src/main/resources/io/maestro/evidence/controls/")
        .append("catalog.yaml by CatalogDocTest; do not edit by hand. -->\n\n");
    sb.append("Catalog version `").append(catalog.version()).append("`. ");
    sb.append(
        "Each control's live status (`met`, `partial`, `no_evidence`) is at"
            + " `GET /api/compliance/controls`, and as OSCAL at `GET /api/compliance/oscal/{model}`"
            + " (see [evidence](../evidence.md)).\n\n");
    sb.append(
        "| control | title | frameworks | mode | implemented by | evidence (receipt types) |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (ControlCatalog.Control c : catalog.controls()) {
      sb.append("| `")
          .append(c.id())
          .append("` | ")
          .append(c.title())
          .append(" | ")
          .append(String.join(", ", c.frameworks()))
          .append(" | ")
          .append(c.mode())
          .append(" | ")
          .append(String.join(", ", c.features()))
          .append(" | ")
          .append(
              c.evidence().isEmpty() ? "none yet" : "`" + String.join("`, `", c.evidence()) + "`")
          .append(" |\n");
    }
    return sb.toString();
  }
}
