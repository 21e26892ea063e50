package io.maestro.cli.governance;

import static io.maestro.cli.client.Paths.enc;

import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
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

/** {@code maestro freeze …}: add, list and remove the tenant's freeze windows. */
@Command(
    name = "freeze",
    mixinStandardHelpOptions = true,
    description =
        "Freeze windows: while one is active, publish, ramp, profile and quota changes are refused"
            + " (freeze_active) unless a break-glass grant lets them through.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro freeze add --from 2026-12-24T00:00:00Z --to 2026-12-27T00:00:00Z --reason holidays",
      "  maestro freeze add --weekly --from \"FRI 16:00\" --to \"MON 08:00\" --zone America/Denver",
      "  maestro freeze list",
      "  maestro freeze remove fz_0193…"
    },
    subcommands = {
      FreezeCommand.Add.class,
      FreezeCommand.ListWindows.class,
      FreezeCommand.Remove.class
    })
public final class FreezeCommand extends CommandGroup {

  @Command(
      name = "add",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro freeze add --from 2026-12-24T00:00:00Z --to 2026-12-27T00:00:00Z",
        "  maestro freeze add --weekly --from \"FRI 16:00\" --to \"MON 08:00\" --zone America/Denver"
      },
      mixinStandardHelpOptions = true,
      description = "Add a freeze window.")
  static final class Add implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Option(names = "--from", required = true, paramLabel = "WHEN")
    String from;

    @Option(names = "--to", required = true, paramLabel = "WHEN")
    String to;

    @Option(names = "--weekly", description = "Recurring: --from/--to are \"DAY HH:MM\".")
    boolean weekly;

    @Option(names = "--zone", paramLabel = "ZONE", description = "IANA time zone (default UTC).")
    String zone;

    @Option(names = "--reason", paramLabel = "TEXT")
    String reason;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("kind", weekly ? "weekly" : "once");
      body.put("from", from);
      body.put("to", to);
      if (zone != null) {
        body.put("zone", zone);
      }
      body.put("reason", reason == null ? "" : reason);
      var r =
          api.connect()
              .call("POST", Tenants.query("/api/freezes", tenant), body, "cannot add the freeze");
      output.one(
          spec.commandLine().getOut(),
          r,
          out ->
              out.println(
                  "freeze window "
                      + r.path("id").asText()
                      + " added"
                      + (r.path("active").asBoolean() ? " (active now)" : "")));
      return 0;
    }
  }

  @Command(
      name = "list",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro freeze list"},
      mixinStandardHelpOptions = true,
      description = "List freeze windows.")
  static final class ListWindows extends TenantList {
    ListWindows() {
      super(
          "/api/freezes",
          "cannot list",
          List.of(
              Column.of("id", "id"),
              Column.of("kind", "kind"),
              Column.of("from", "from"),
              Column.of("to", "to"),
              Column.of("zone", "zone"),
              Column.of("active", "active"),
              Column.of("reason", "reason")));
    }
  }

  @Command(
      name = "remove",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro freeze remove fz_0193…"},
      mixinStandardHelpOptions = true,
      description = "Remove a window.")
  static final class Remove implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    @Override
    public Integer call() {
      if (id.isBlank()) {
        throw new UserError("name the freeze window");
      }
      api.connect()
          .call("DELETE", Tenants.query("/api/freezes/" + enc(id), tenant), null, "cannot remove");
      spec.commandLine().getOut().println("freeze window " + id + " removed");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
