package io.maestro.cli.purge;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import io.maestro.cli.governance.PostOnResource;
import io.maestro.cli.governance.ShowResource;
import io.maestro.cli.governance.TenantList;
import io.maestro.cli.governance.Tenants;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maestro purge …}: dual-control purges of a tenant's data and their signed manifests. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description =
        "Request, approve, cancel and review dual-control purges; fetch and verify their signed"
            + " manifests.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro purge request --tenant acme --scope runs --before 2026-11-01 --reason \"DSR-42\"",
      "  maestro purge approve prg_0193… --tenant acme      # by two people, not the requester",
      "  maestro purge show prg_0193… --tenant acme",
      "  maestro purge manifest get prg_0193… --tenant acme -o manifest.json",
      "  maestro purge manifest verify manifest.json --keys keys.json"
    },
    subcommands = {
      PurgeCommand.Request.class,
      PurgeCommand.Approve.class,
      PurgeCommand.Cancel.class,
      PurgeCommand.Show.class,
      PurgeCommand.ListPurges.class,
      ManifestCommand.class
    })
public final class PurgeCommand extends CommandGroup {

  static void print(PrintWriter out, JsonNode p) {
    out.println(
        "purge "
            + p.path("id").asText()
            + " "
            + p.path("state").asText()
            + " — scope "
            + p.path("scope").asText()
            + (p.path("before").isNull() ? "" : " before " + p.path("before").asText())
            + ", approvals "
            + p.path("approvals").size()
            + "/"
            + p.path("approvals_required").asInt()
            + (p.has("runs_in_seconds")
                ? ", runs in " + p.path("runs_in_seconds").asLong() + "s"
                : "")
            + (p.has("manifest_digest") ? ", manifest " + p.path("manifest_digest").asText() : ""));
  }

  @Command(
      name = "request",
      mixinStandardHelpOptions = true,
      description = "Request a purge; two other people must approve it before it runs.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro purge request --tenant acme --scope runs --before 2026-11-01 --reason \"DSR-42\"",
        "  maestro purge request --tenant acme --scope tenant --reason \"offboarding\" --delay 24h"
      })
  static final class Request implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Option(names = "--tenant", paramLabel = "ID", description = "The tenant whose data goes.")
    String tenant;

    @Option(
        names = "--scope",
        required = true,
        paramLabel = "SCOPE",
        description = "runs, metering, receipt_payloads or tenant (offboarding).")
    String scope;

    @Option(
        names = "--before",
        paramLabel = "DATE",
        description = "Cut-off: data that ended before it (2026-11-01 or an RFC 3339 time).")
    String before;

    @Option(names = "--reason", required = true, paramLabel = "TEXT")
    String reason;

    @Option(
        names = "--delay",
        paramLabel = "DURATION",
        description = "Wait after the last approval (e.g. 1h); default: the profile's.")
    String delay;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("scope", scope);
      if (before != null) {
        body.put("before", before);
      }
      body.put("reason", reason);
      if (delay != null) {
        body.put("delay", delay);
      }
      var r =
          api.connect()
              .call("POST", Tenants.query("/api/purges", tenant), body, "cannot request a purge");
      output.one(spec.commandLine().getOut(), r, out -> print(out, r));
      return 0;
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Approve a purge (not your own; each person once).",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro purge approve prg_0193… --tenant acme"})
  static final class Approve extends PostOnResource {
    Approve() {
      super("/api/purges", "approve", PurgeCommand::print);
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a purge that has not run yet.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro purge cancel prg_0193… --tenant acme"})
  static final class Cancel extends PostOnResource {
    Cancel() {
      super("/api/purges", "cancel", PurgeCommand::print);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One purge: state, approvals, countdown, manifest digest.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro purge show prg_0193… --tenant acme --output json"})
  static final class Show extends ShowResource {
    Show() {
      super(
          "/api/purges",
          "cannot show",
          (out, r) -> {
            print(out, r);
            out.println(
                "  requested by "
                    + r.path("requested_by").asText()
                    + ": "
                    + r.path("reason").asText());
            for (JsonNode a : r.path("approvals")) {
              out.println(
                  "  approved by "
                      + a.path("approver").asText()
                      + " at "
                      + a.path("at").asText()
                      + " (decision "
                      + a.path("decision_id").asText()
                      + ")");
            }
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The tenant's purges.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro purge list --tenant acme"})
  static final class ListPurges extends TenantList {
    ListPurges() {
      super(
          "/api/purges",
          "cannot list",
          List.of(
              Column.of("id", "id"),
              Column.of("state", "state"),
              Column.of("scope", "scope"),
              Column.of("before", "before"),
              new Column(
                  "approvals",
                  p -> p.path("approvals").size() + "/" + p.path("approvals_required").asInt()),
              Column.of("requested by", "requested_by"),
              Column.of("reason", "reason")));
    }
  }
}
