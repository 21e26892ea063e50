package io.maestro.cli.governance;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A command that is one POST on a tenant's resource ({@code <collection>/<id>/<verb>}, e.g.
 * approving a break-glass grant or a purge), answered with the resource.
 */
public abstract class PostOnResource implements Callable<Integer> {
  private final String collection;
  private final String verb;
  private final BiConsumer<PrintWriter, JsonNode> printer;

  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions api;
  @Mixin Output output;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
  String tenant;

  protected PostOnResource(
      String collection, String verb, BiConsumer<PrintWriter, JsonNode> printer) {
    this.collection = collection;
    this.verb = verb;
    this.printer = printer;
  }

  @Override
  public Integer call() {
    var r =
        api.connect()
            .call(
                "POST",
                Tenants.query(collection + "/" + enc(id) + "/" + verb, tenant),
                Map.of(),
                "cannot " + verb);
    output.one(spec.commandLine().getOut(), r, out -> printer.accept(out, r));
    return 0;
  }
}
