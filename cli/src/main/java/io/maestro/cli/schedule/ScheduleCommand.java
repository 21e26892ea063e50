package io.maestro.cli.schedule;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import io.maestro.cli.governance.OnResource;
import io.maestro.cli.governance.ShowResource;
import io.maestro.cli.governance.TenantList;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
  static final class ListSchedules extends TenantList {
    @Option(names = "--workflow", paramLabel = "NAME", description = "Only this workflow's.")
    String workflow;

    ListSchedules() {
      super("/api/schedules", "cannot list the schedules", COLUMNS);
    }

    @Override
    protected String path(String collection) {
      return collection + (workflow == null ? "" : "?workflow=" + enc(workflow));
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro schedule show nightly"},
      description = "Show a schedule and its latest firings (tick, outcome, run).")
  static final class Show extends ShowResource {
    Show() {
      super("/api/schedules", "cannot show schedule {id}", Show::print);
    }

    private static void print(PrintWriter out, JsonNode r) {
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
  abstract static class Toggle extends OnResource {
    Toggle(String verb) {
      super(
          "POST",
          "/api/schedules",
          "/" + verb,
          null,
          "cannot " + verb + " schedule {id}",
          (out, r) ->
              out.println(
                  "schedule "
                      + r.path("id").asText()
                      + (r.path("paused").asBoolean()
                          ? " paused"
                          : " active, next tick " + Output.text(r.path("nextTick")))));
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro schedule pause nightly"},
      description = "Pause a schedule: no tick is handled until it is resumed.")
  static final class Pause extends Toggle {
    Pause() {
      super("pause");
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
    Resume() {
      super("resume");
    }
  }
}
