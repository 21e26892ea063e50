package io.maestro.cli.tenants;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro tenants regions set ID R[,R…]}: where a tenant's runs may run. */
@Command(
    name = "regions",
    mixinStandardHelpOptions = true,
    description = "The regions a tenant's workflows may run in.",
    footerHeading = "%nExamples:%n",
    footer = {"  maestro tenants regions set acme US,EU"},
    subcommands = RegionsCommand.Set.class)
public final class RegionsCommand extends CommandGroup {
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description =
          "Set the allowed regions (platform roles; the home region must stay among them). Starts"
              + " of a workflow whose region is not allowed are refused with region_not_allowed; a"
              + " config.changed receipt records the diff.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro tenants regions set acme US,EU"})
  static final class Set implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant id.")
    String id;

    @Parameters(
        index = "1",
        paramLabel = "REGIONS",
        split = ",",
        description = "Region codes, comma-separated (e.g. US,EU).")
    List<String> regions;

    @Override
    public Integer call() {
      JsonNode t =
          api.connect()
              .call(
                  "PATCH",
                  "/api/tenants/" + enc(id),
                  Map.of("regions", regions),
                  "cannot set the regions of " + id);
      output.one(spec.commandLine().getOut(), t, out -> TenantsCommand.printTenant(out, t));
      return 0;
    }
  }
}
