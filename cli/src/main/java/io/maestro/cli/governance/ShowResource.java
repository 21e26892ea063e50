package io.maestro.cli.governance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.function.BiConsumer;

/** A command that shows one of a tenant's resources ({@code GET <collection>/<id>}). */
public abstract class ShowResource extends OnResource {
  /**
   * @param failure what an error message starts with, e.g. {@code "cannot show incident {id}"}
   */
  protected ShowResource(
      String collection, String failure, BiConsumer<PrintWriter, JsonNode> printer) {
    super("GET", collection, "", null, failure, printer);
  }
}
