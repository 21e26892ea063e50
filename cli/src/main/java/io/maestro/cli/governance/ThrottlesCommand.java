package io.maestro.cli.governance;

import io.maestro.cli.client.Output.Column;
import java.util.List;
import picocli.CommandLine.Command;

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
public final class ThrottlesCommand extends TenantList {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("id", "id"),
          Column.of("max running", "max_concurrent_runs"),
          Column.of("active", "active"),
          Column.of("incident", "incident"),
          Column.of("applied by", "applied_by"),
          Column.of("released by", "released_by"));

  public ThrottlesCommand() {
    super("/api/throttles", "cannot list throttles", COLUMNS);
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
