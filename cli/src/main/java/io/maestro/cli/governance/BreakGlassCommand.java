package io.maestro.cli.governance;

import io.maestro.cli.CommandGroup;
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
import picocli.CommandLine.Spec;

/** {@code maestro break-glass …}: time-boxed grants that let named actions through a freeze. */
@Command(
    name = "break-glass",
    mixinStandardHelpOptions = true,
    description = "Open, approve, close and review break-glass grants.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro break-glass open --reason \"hotfix INC-42\" --for 30m --action workflow.publish",
      "  maestro break-glass approve bg_0193…",
      "  maestro break-glass list"
    },
    subcommands = {
      BreakGlassCommand.Open.class,
      BreakGlassCommand.Approve.class,
      BreakGlassCommand.Close.class,
      BreakGlassCommand.ListGrants.class
    })
public final class BreakGlassCommand extends CommandGroup {

  static void printGrant(java.io.PrintWriter out, com.fasterxml.jackson.databind.JsonNode g) {
    String state = g.path("state").asText();
    // A closed or expired grant has no "until": it lets nothing through any more.
    boolean over = state.equals("closed") || state.equals("expired");
    out.println(
        "grant "
            + g.path("id").asText()
            + " "
            + state
            + (over ? "" : " until " + g.path("expires_at").asText())
            + " for "
            + g.path("actions"));
  }

  @Command(
      name = "open",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro break-glass open --reason \"INC-42\" --for 30m --action workflow.publish"
      },
      mixinStandardHelpOptions = true,
      description = "Open a grant.")
  static final class Open implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Option(names = "--reason", required = true, paramLabel = "TEXT")
    String reason;

    @Option(names = "--for", required = true, paramLabel = "DURATION", description = "e.g. 30m")
    String duration;

    @Option(
        names = "--action",
        paramLabel = "ACTION",
        description = "An action to let through (repeatable; default workflow.publish).")
    List<String> actions;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("reason", reason);
      body.put("for", duration);
      body.put("actions", actions == null ? List.of("workflow.publish") : actions);
      var r =
          api.connect()
              .call("POST", Tenants.query("/api/break-glass", tenant), body, "cannot open");
      output.one(spec.commandLine().getOut(), r, out -> printGrant(out, r));
      return 0;
    }
  }

  @Command(
      name = "approve",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro break-glass approve bg_0193…"},
      mixinStandardHelpOptions = true,
      description = "Approve a grant.")
  static final class Approve extends PostOnResource {
    Approve() {
      super("/api/break-glass", "approve", BreakGlassCommand::printGrant);
    }
  }

  @Command(
      name = "close",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro break-glass close bg_0193…"},
      mixinStandardHelpOptions = true,
      description = "Close a grant.")
  static final class Close extends PostOnResource {
    Close() {
      super("/api/break-glass", "close", BreakGlassCommand::printGrant);
    }
  }

  @Command(
      name = "list",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro break-glass list", "  maestro break-glass list --output json"},
      mixinStandardHelpOptions = true,
      description = "Grants and what was done under each.")
  static final class ListGrants extends TenantList {
    ListGrants() {
      super(
          "/api/break-glass",
          "cannot list",
          List.of(
              Column.of("id", "id"),
              Column.of("state", "state"),
              Column.of("opened by", "opened_by"),
              Column.of("expires", "expires_at"),
              new Column("actions", g -> g.path("actions").toString()),
              new Column("uses", g -> String.valueOf(g.path("uses").size())),
              Column.of("reason", "reason")));
    }
  }
}
