package io.maestro.cli.governance;

import static io.maestro.cli.client.Paths.enc;

import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro ramp …}: set, show and trace the ramps that admit a share of a workflow's starts.
 */
@Command(
    name = "ramp",
    mixinStandardHelpOptions = true,
    description = "Ramp a workflow (or one version of it) to a percentage of its starts.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro ramp set hello --version 2 --percent 10",
      "  maestro ramp show",
      "  maestro ramp history hello"
    },
    subcommands = {RampCommand.Set.class, RampCommand.Show.class, RampCommand.History.class})
public final class RampCommand extends CommandGroup {

  @Command(
      name = "set",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro ramp set hello --version 2 --percent 10",
        "  maestro ramp set hello --percent 0   # roll back"
      },
      mixinStandardHelpOptions = true,
      description =
          "Admit PERCENT of the workflow's starts; the rest are refused with ramp_excluded.")
  static final class Set implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "WORKFLOW")
    String workflow;

    @Option(names = "--percent", required = true, paramLabel = "P", description = "0 to 100.")
    String percent;

    @Option(names = "--version", paramLabel = "V", description = "Ramp only this version.")
    String version;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    @Override
    public Integer call() {
      BigDecimal p;
      try {
        p = new BigDecimal(percent);
      } catch (NumberFormatException e) {
        throw new UserError("--percent must be a number from 0 to 100, not '" + percent + "'");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("percent", p);
      if (version != null) {
        body.put("version", version);
      }
      ApiClient client = api.connect();
      var r =
          client.call(
              "PUT",
              Tenants.query("/api/ramps/" + enc(workflow), tenant),
              body,
              "cannot set the ramp");
      output.one(
          spec.commandLine().getOut(),
          r,
          out ->
              out.println(
                  "ramp "
                      + label(r)
                      + " at "
                      + r.path("percent").asText()
                      + "% (step "
                      + r.path("step").asInt()
                      + ")"));
      return 0;
    }
  }

  static String label(com.fasterxml.jackson.databind.JsonNode r) {
    String v = r.path("version").asText("");
    return r.path("workflow").asText() + (v.isEmpty() ? "" : "@" + v);
  }

  @Command(
      name = "show",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro ramp show", "  maestro ramp show --output json"},
      mixinStandardHelpOptions = true,
      description = "List the ramp rules.")
  static final class Show extends TenantList {
    Show() {
      super(
          "/api/ramps",
          "cannot list",
          List.of(
              new Column("workflow", RampCommand::label),
              Column.of("action", "action"),
              Column.of("percent", "percent"),
              Column.of("step", "step"),
              Column.of("by", "updated_by"),
              Column.of("at", "updated_at")));
    }
  }

  @Command(
      name = "history",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro ramp history", "  maestro ramp history hello"},
      mixinStandardHelpOptions = true,
      description = "Ramp changes, newest first, with their diff, decision and receipt.")
  static final class History extends TenantList {
    @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW")
    String workflow;

    History() {
      super(
          "/api/ramps/history",
          "cannot list",
          List.of(
              new Column("workflow", RampCommand::label),
              Column.of("step", "step"),
              new Column("change", c -> c.path("diff").path("percent").toString()),
              Column.of("by", "changed_by"),
              Column.of("at", "changed_at"),
              Column.of("receipt", "receipt_id")));
    }

    @Override
    protected String path(String collection) {
      return collection + (workflow == null ? "" : "?workflow=" + enc(workflow));
    }
  }
}
