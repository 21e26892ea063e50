package io.maestro.cli.retention;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import io.maestro.cli.governance.Tenants;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro retention …}: a tenant's retention rules, legal holds and retention batches. */
@Command(
    name = "retention",
    mixinStandardHelpOptions = true,
    description =
        "Set how long a tenant keeps each class of data, place and release legal holds, run the"
            + " retention job and review what it removed.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro retention rules --tenant acme",
      "  maestro retention set runs --days 90 --tenant acme",
      "  maestro retention hold --reason \"litigation 2026-17\" --tenant acme",
      "  maestro retention run --tenant acme",
      "  maestro retention batches --tenant acme"
    },
    subcommands = {
      RetentionCommand.Rules.class,
      RetentionCommand.Set.class,
      RetentionCommand.Unset.class,
      RetentionCommand.Holds.class,
      RetentionCommand.Hold.class,
      RetentionCommand.Release.class,
      RetentionCommand.Run.class,
      RetentionCommand.Batches.class
    })
public final class RetentionCommand extends CommandGroup {

  /** What every subcommand shares: the API, the output format and the tenant. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    JsonNode call(String method, String path, Object body, String what) {
      return api.connect().call(method, Tenants.query(path, tenant), body, what);
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  @Command(
      name = "rules",
      mixinStandardHelpOptions = true,
      description =
          "Every data class with the days the tenant keeps it and where that rule came from (the"
              + " tenant's own or the edition's default), the bounds, the hold.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro retention rules --tenant acme --output json"})
  static final class Rules extends Base {
    @Override
    public Integer call() {
      JsonNode r = call("GET", "/api/retention/rules", null, "cannot list retention rules");
      if (output.format() != Output.Format.table) {
        output.data(out(), r);
        return 0;
      }
      JsonNode b = r.path("bounds");
      out()
          .println(
              "bounds: "
                  + b.path("min_days").asInt()
                  + "–"
                  + (b.path("max_days").isNull() ? "∞" : b.path("max_days").asText())
                  + " days"
                  + (r.path("held").asBoolean() ? "; ON LEGAL HOLD (nothing is deleted)" : ""));
      output.list(
          out(),
          r.path("items"),
          List.of(
              Column.of("class", "data_class"),
              new Column(
                  "keep",
                  i ->
                      i.path("keep_days").isNull()
                          ? "forever"
                          : i.path("keep_days").asText() + "d"),
              // Where the rule came from: the tenant's own, or the edition's default.
              new Column(
                  "from",
                  i ->
                      i.path("source").isNull() || i.path("source").isMissingNode()
                          ? "-"
                          : "tenant".equals(i.path("source").asText())
                              ? "tenant rule"
                              : "default (" + i.path("source").asText() + ")"),
              Column.of("set by", "set_by"),
              Column.of("policy version", "policy_version")));
      return 0;
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Keep one data class for so many days (policy checks the platform's bounds).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro retention set runs --days 90 --tenant acme",
        "  maestro retention set receipt_payloads --days 365 --tenant acme"
      })
  static final class Set extends Base {
    @Parameters(
        index = "0",
        paramLabel = "CLASS",
        description = "runs, run_logs, metering_events, receipt_payloads or decision_inputs.")
    String dataClass;

    @Option(names = "--days", required = true, paramLabel = "N")
    int days;

    @Override
    public Integer call() {
      JsonNode r =
          call(
              "PUT",
              "/api/retention/rules/" + enc(dataClass),
              Map.of("keepDays", days),
              "cannot set the retention rule");
      output.one(
          out(),
          r,
          o ->
              o.println(
                  r.path("data_class").asText()
                      + " kept "
                      + r.path("keep_days").asInt()
                      + " days (decision "
                      + r.path("decision_id").asText()
                      + ")"));
      return 0;
    }
  }

  @Command(
      name = "unset",
      mixinStandardHelpOptions = true,
      description = "Remove the rule for one data class: it is kept for good again.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro retention unset run_logs --tenant acme"})
  static final class Unset extends Base {
    @Parameters(index = "0", paramLabel = "CLASS")
    String dataClass;

    @Override
    public Integer call() {
      call(
          "DELETE",
          "/api/retention/rules/" + enc(dataClass),
          null,
          "cannot remove the retention rule");
      out().println(dataClass + " is kept for good");
      return 0;
    }
  }

  @Command(
      name = "holds",
      mixinStandardHelpOptions = true,
      description = "The tenant's legal holds, active and released.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro retention holds --tenant acme"})
  static final class Holds extends Base {
    @Override
    public Integer call() {
      JsonNode r = call("GET", "/api/retention/holds", null, "cannot list legal holds");
      output.list(
          out(),
          r.path("items"),
          List.of(
              Column.of("id", "id"),
              new Column("active", h -> h.path("active").asBoolean() ? "yes" : "no"),
              Column.of("reason", "reason"),
              Column.of("placed by", "placed_by"),
              Column.of("placed at", "placed_at"),
              Column.of("released at", "released_at")));
      return 0;
    }
  }

  @Command(
      name = "hold",
      mixinStandardHelpOptions = true,
      description = "Place a legal hold: nothing of the tenant is deleted until it is released.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro retention hold --reason \"litigation 2026-17\" --tenant acme"})
  static final class Hold extends Base {
    @Option(names = "--reason", required = true, paramLabel = "TEXT")
    String reason;

    @Override
    public Integer call() {
      JsonNode r =
          call(
              "POST",
              "/api/retention/holds",
              Map.of("reason", reason),
              "cannot place the legal hold");
      output.one(out(), r, o -> o.println("legal hold " + r.path("id").asText() + " placed"));
      return 0;
    }
  }

  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      description = "Release a legal hold.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro retention release hld_0193… --reason \"case closed\" --tenant acme"})
  static final class Release extends Base {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--reason", required = true, paramLabel = "TEXT")
    String reason;

    @Override
    public Integer call() {
      JsonNode r =
          call(
              "POST",
              "/api/retention/holds/" + enc(id) + "/release",
              Map.of("reason", reason),
              "cannot release the legal hold");
      output.one(out(), r, o -> o.println("legal hold " + r.path("id").asText() + " released"));
      return 0;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Run the retention job for the tenant now.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro retention run --tenant acme"})
  static final class Run extends Base {
    @Override
    public Integer call() {
      JsonNode r = call("POST", "/api/retention/run", null, "cannot run retention");
      output.one(
          out(),
          r,
          o -> {
            if (r.path("held").asBoolean()) {
              o.println(r.path("tenant").asText() + " is on legal hold: nothing removed");
              return;
            }
            StringBuilder removed = new StringBuilder();
            r.path("removed")
                .properties()
                .forEach(
                    e ->
                        removed
                            .append(removed.isEmpty() ? "" : ", ")
                            .append(e.getValue().asLong())
                            .append(' ')
                            .append(e.getKey()));
            o.println(
                r.path("batches").asInt()
                    + " batch(es)"
                    + (removed.isEmpty() ? ", nothing expired" : ": " + removed)
                    + (r.path("more").asBoolean() ? "; more remains for the next run" : ""));
          });
      return 0;
    }
  }

  @Command(
      name = "batches",
      mixinStandardHelpOptions = true,
      description = "What the retention job removed, newest first, with each batch's receipt.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro retention batches --tenant acme --limit 20"})
  static final class Batches extends Base {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "100")
    int limit;

    @Override
    public Integer call() {
      JsonNode r =
          call(
              "GET",
              "/api/retention/batches?limit=" + limit,
              null,
              "cannot list retention batches");
      output.list(
          out(),
          r.path("items"),
          List.of(
              Column.of("id", "id"),
              Column.of("class", "data_class"),
              Column.of("cutoff", "cutoff"),
              Column.of("items", "item_count"),
              Column.of("merkle root", "merkle_root"),
              Column.of("receipt", "receipt_id")));
      return 0;
    }
  }
}
