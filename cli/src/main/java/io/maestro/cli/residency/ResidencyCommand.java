package io.maestro.cli.residency;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import io.maestro.cli.governance.Tenants;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maestro residency …}: the residency auditor's findings, and an audit now. */
@Command(
    name = "residency",
    mixinStandardHelpOptions = true,
    description =
        "Check a tenant's runs, stored disclosure packs and receipts against its allowed regions.",
    footerHeading = "%nExamples:%n",
    footer = {"  maestro residency audit", "  maestro residency findings --tenant acme"},
    subcommands = {ResidencyCommand.Audit.class, ResidencyCommand.Findings.class})
public final class ResidencyCommand extends CommandGroup {

  /** What both subcommands share: the API, the output format and the tenant. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    JsonNode call(String method, String what) {
      return api.connect().call(method, Tenants.query("/api/residency/audit", tenant), null, what);
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    void table(JsonNode items) {
      output.list(
          out(),
          items,
          List.of(
              Column.of("kind", "kind"),
              Column.of("ref", "ref"),
              Column.of("region", "region"),
              new Column("new", i -> i.path("new").asBoolean() ? "yes" : ""),
              Column.of("first seen", "first_seen"),
              Column.of("receipt", "receipt"),
              Column.of("detail", "detail")));
    }
  }

  @Command(
      name = "audit",
      mixinStandardHelpOptions = true,
      description =
          "Audit the tenant now. Each violation found for the first time is a residency.violation"
              + " receipt; exit status 1 while any violation is open.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro residency audit", "  maestro residency audit --tenant acme -o json"})
  static final class Audit extends Base {
    @Override
    public Integer call() {
      JsonNode r = call("POST", "cannot audit residency");
      JsonNode v = r.path("violations");
      output.one(
          out(),
          r,
          o -> {
            JsonNode s = r.path("scanned");
            o.println(
                "audited "
                    + r.path("tenant").asText()
                    + " (allowed regions "
                    + Output.text(r.path("allowed_regions"))
                    + "): "
                    + s.path("runs").asInt()
                    + " run(s), "
                    + s.path("exports").asInt()
                    + " stored pack(s), "
                    + s.path("receipts").asInt()
                    + " region-tagged receipt(s)");
            o.println(
                v.size()
                    + " violation(s) open, "
                    + r.path("new").asInt()
                    + " new, "
                    + r.path("resolved").size()
                    + " resolved");
            if (!v.isEmpty()) {
              table(v);
            }
          });
      return v.isEmpty() ? 0 : 1;
    }
  }

  @Command(
      name = "findings",
      mixinStandardHelpOptions = true,
      description = "The findings of earlier audits (open and resolved), without auditing.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro residency findings --output json"})
  static final class Findings extends Base {
    @Option(names = "--all", description = "Resolved findings too.")
    boolean all;

    @Override
    public Integer call() {
      JsonNode r = call("GET", "cannot read residency findings");
      if (output.format() != Output.Format.table) {
        output.data(out(), r);
        return 0;
      }
      table(r.path("violations"));
      if (all) {
        out().println("resolved:");
        table(r.path("resolved"));
      }
      return 0;
    }
  }
}
