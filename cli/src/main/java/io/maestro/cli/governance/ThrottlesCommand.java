package io.maestro.cli.governance;

import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code maestro throttles …}: the throttles on the tenant's starts (applied by the rollback
 * controller as a mitigation) and lifting one by hand. Without a subcommand it lists them.
 */
@Command(
    name = "throttles",
    mixinStandardHelpOptions = true,
    description = "Throttles on the tenant's starts, applied as incident mitigations.",
    footerHeading = "%nExamples:%n",
    footer = {"  maestro throttles", "  maestro throttles release th_…"},
    subcommands = {ThrottlesCommand.Release.class})
public final class ThrottlesCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions api;
  @Mixin Output output;

  @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
  String tenant;

  static final List<Column> COLUMNS =
      List.of(
          Column.of("id", "id"),
          Column.of("max running", "max_concurrent_runs"),
          Column.of("active", "active"),
          Column.of("incident", "incident"),
          Column.of("applied by", "applied_by"),
          Column.of("released by", "released_by"));

  @Override
  public Integer call() {
    var r =
        api.connect()
            .call("GET", Tenants.query("/api/throttles", tenant), null, "cannot list throttles");
    output.list(spec.commandLine().getOut(), r.path("items"), COLUMNS);
    return 0;
  }

  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro throttles release th_…"},
      description = "Lift an active throttle now.")
  static final class Release extends OnResource {
    Release() {
      super(
          "DELETE",
          "/api/throttles",
          "",
          null,
          "cannot release throttle {id}",
          (out, r) ->
              out.println(
                  r.path("id").asText()
                      + " released ("
                      + r.path("max_concurrent_runs").asInt()
                      + " running runs)"));
    }
  }
}
