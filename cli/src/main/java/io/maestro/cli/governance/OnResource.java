package io.maestro.cli.governance;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A command that is one request on one of a tenant's resources ({@code <collection>/<ID>[suffix]},
 * with {@code --tenant} for platform roles), answered with the resource: printed by the command's
 * own printer, or as JSON or YAML with {@code --output}. A subclass says only which request it is
 * and how the resource reads; {@link PostOnResource} and {@link ShowResource} are the common ones.
 */
public abstract class OnResource implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions api;
  @Mixin Output output;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
  String tenant;

  private final String method;
  private final String collection;
  private final String suffix;
  private final Object body;
  private final String failure;
  private final BiConsumer<PrintWriter, JsonNode> printer;

  /**
   * @param suffix after the id, e.g. {@code "/approve"}; empty for the resource itself
   * @param body the request's JSON body, or null for none
   * @param failure what an error message starts with; {@code {id}} stands for the id
   */
  protected OnResource(
      String method,
      String collection,
      String suffix,
      Object body,
      String failure,
      BiConsumer<PrintWriter, JsonNode> printer) {
    this.method = method;
    this.collection = collection;
    this.suffix = suffix;
    this.body = body;
    this.failure = failure;
    this.printer = printer;
  }

  /** The request's body: the one given at construction, unless the command builds its own. */
  protected Object body() {
    return body;
  }

  @Override
  public Integer call() {
    JsonNode r =
        api.connect()
            .call(
                method,
                Tenants.query(collection + "/" + enc(id) + suffix, tenant),
                body(),
                failure.replace("{id}", id));
    output.one(spec.commandLine().getOut(), r, out -> printer.accept(out, r));
    return 0;
  }
}
