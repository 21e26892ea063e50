package io.maestro.cli.governance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A command that is one POST on a tenant's resource ({@code <collection>/<id>/<verb>}, e.g.
 * approving a break-glass grant or a purge), answered with the resource.
 */
public abstract class PostOnResource extends OnResource {
  protected PostOnResource(
      String collection, String verb, BiConsumer<PrintWriter, JsonNode> printer) {
    super("POST", collection, "/" + verb, Map.of(), "cannot " + verb, printer);
  }
}
