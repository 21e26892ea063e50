package io.maestro.cli.schedule;

import static io.maestro.cli.client.Paths.enc;

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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro schedule …}: list, show, pause and resume the tenant's schedules. */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description =
        "Cron schedules of workflows (declared in manifests or created through the API): list"
            + " them, show one with its latest firings, pause and resume. See docs/schedules.md.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro schedule list",
      "  maestro schedule show nightly",
      "  maestro schedule pause nightly",
      "  maestro schedule resume nightly"
    },
    subcommands = {
      ScheduleCommand.ListSchedules.class,
      ScheduleCommand.Show.class,
      ScheduleCommand.Pause.class,
      ScheduleCommand.Resume.class
    })
public final class ScheduleCommand extends CommandGroup {

  /** The columns of a schedule list, shared with {@code maestro status}. */
  public static final List<Column> COLUMNS =
      List.of(
          Column.of("id", "id"),
          Column.of("workflow", "workflow"),
          Column.of("cron", "cron"),
          Column.of("zone", "timeZone"),
          Column.of("overlap", "overlap"),
          Column.of("paused", "paused"),
          Column.of("next tick", "nextTick"),
          Column.of("source", "source"));

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro schedule list", "  maestro schedule list --workflow report -o json"},
      description = "List the tenant's schedules with their next tick.")
  static final class ListSchedules implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Option(names = "--workflow", paramLabel = "NAME", description = "Only this workflow's.")
    String workflow;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    @Override
    public Integer call() {
      String path = "/api/schedules" + (workflow == null ? "" : "?workflow=" + enc(workflow));
      JsonNode r =
          api.connect().call("GET", Tenants.query(path, tenant), null, "cannot list the schedules");
      output.list(spec.commandLine().getOut(), r.path("items"), COLUMNS);
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro schedule show nightly"},
      description = "Show a schedule and its latest firings (tick, outcome, run).")
  static final class Show implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    @Override
    public Integer call() {
      JsonNode r =
          api.connect()
              .call(
                  "GET",
                  Tenants.query("/api/schedules/" + enc(id), tenant),
                  null,
                  "cannot show schedule " + id);
      output.one(
          spec.commandLine().getOut(),
          r,
          out -> {
            out.println(
                r.path("id").asText()
                    + "  "
                    + r.path("workflow").asText()
                    + "  \""
                    + r.path("cron").asText()
                    + "\" "
                    + r.path("timeZone").asText()
                    + (r.path("paused").asBoolean() ? "  PAUSED" : ""));
            out.println(
                "  overlap "
                    + r.path("overlap").asText()
                    + ", catch-up "
                    + r.path("catchUpSeconds").asLong()
                    + " s, jitter "
                    + r.path("jitterSeconds").asLong()
                    + " s, source "
                    + r.path("source").asText());
            out.println(
                "  next tick "
                    + Output.text(r.path("nextTick"))
                    + ", active runs "
                    + r.path("activeRuns").asInt());
            firings(out, r.path("firings"));
          });
      return 0;
    }

    private static void firings(PrintWriter out, JsonNode firings) {
      if (firings.isEmpty()) {
        out.println("  no firings yet");
        return;
      }
      out.println("  firings:");
      for (JsonNode f : firings) {
        out.println(
            "    "
                + f.path("tick").asText()
                + "  "
                + f.path("outcome").asText()
                + (f.has("runId") ? "  " + f.path("runId").asText() : "")
                + (f.path("detail").has("reasons")
                    ? "  " + f.path("detail").path("reasons").get(0).path("code").asText()
                    : ""));
      }
    }
  }

  /** Pause and resume: a POST on the schedule, answered with the schedule. */
  abstract static class Toggle implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    abstract String verb();

    @Override
    public Integer call() {
      JsonNode r =
          api.connect()
              .call(
                  "POST",
                  Tenants.query("/api/schedules/" + enc(id) + "/" + verb(), tenant),
                  null,
                  "cannot " + verb() + " schedule " + id);
      output.one(
          spec.commandLine().getOut(),
          r,
          out ->
              out.println(
                  "schedule "
                      + id
                      + (r.path("paused").asBoolean()
                          ? " paused"
                          : " active, next tick " + Output.text(r.path("nextTick")))));
      return 0;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro schedule pause nightly"},
      description = "Pause a schedule: no tick is handled until it is resumed.")
  static final class Pause extends Toggle {
    @Override
    String verb() {
      return "pause";
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro schedule resume nightly"},
      description =
          "Resume a paused schedule from now (the ticks of the paused time are not caught up).")
  static final class Resume extends Toggle {
    @Override
    String verb() {
      return "resume";
    }
  }
}
