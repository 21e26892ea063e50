package io.maestro.cli.runs;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.ClientCalls;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import io.maestro.cli.run.RunPrinter;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro runs …}: list, inspect, follow, cancel and decide on runs of your tenant. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List, inspect, follow, cancel, approve and reject runs.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro runs list --status RUNNING --since 1h",
      "  maestro runs logs run_0193… --follow",
      "  maestro runs approve run_0193… review --comment \"looks good\""
    },
    subcommands = {
      RunsCommand.ListRuns.class,
      RunsCommand.Show.class,
      RunsCommand.Logs.class,
      RunsCommand.Cancel.class,
      RunsCommand.Approve.class,
      RunsCommand.Reject.class
    })
public final class RunsCommand extends CommandGroup {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("id", "id"),
          new Column(
              "workflow", r -> r.path("workflow").asText() + "@" + r.path("version").asText()),
          Column.of("status", "status"),
          Column.of("started by", "startedBy"),
          Column.of("created", "createdAt"));

  /** {@code maestro runs list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List runs, newest first.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro runs list",
        "  maestro runs list --status FAILED --workflow hello --since 24h --output json"
      })
  static final class ListRuns implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Option(
        names = "--status",
        paramLabel = "STATUS",
        description = "PENDING, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED or TIMED_OUT.")
    String status;

    @Option(names = "--workflow", paramLabel = "NAME", description = "Only runs of this workflow.")
    String workflow;

    @Option(
        names = "--since",
        paramLabel = "WHEN",
        description =
            "Only runs created since then: a duration (30m, 2h, 7d) or a time (ISO 8601).")
    String since;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "50",
        description = "At most N runs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      Instant from = since == null ? null : parseSince(since, Instant.now());
      ClientCalls client = api.client();
      ArrayNode items = ApiClient.JSON.createArrayNode();
      String cursor = null;
      String state = status == null ? null : status.toUpperCase(java.util.Locale.ROOT);
      do {
        String after = cursor;
        JsonNode page =
            client.call(
                c -> c.runs(state, workflow, Math.min(limit, 500), after),
                "/api/runs",
                "cannot list runs");
        for (JsonNode run : page.path("items")) {
          if (from != null && Instant.parse(run.path("createdAt").asText()).isBefore(from)) {
            cursor = null; // newest first: everything after this is older still
            break;
          }
          if (items.size() < limit) {
            items.add(run);
          }
          cursor = page.path("nextCursor").asText(null);
        }
        if (page.path("items").isEmpty()) {
          cursor = null;
        }
      } while (cursor != null && items.size() < limit);
      output.list(spec.commandLine().getOut(), items, COLUMNS);
      return 0;
    }
  }

  /**
   * Reads {@code --since}: a duration back from {@code now} ({@code 30m}, {@code 2h}, {@code 7d})
   * or an instant.
   */
  static Instant parseSince(String text, Instant now) {
    String t = text.trim();
    var m = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return now.minus(d);
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw new UserError(
          "--since takes a duration (30m, 2h, 7d) or a time like 2026-12-01T00:00:00Z, got '"
              + text
              + "'",
          2);
    }
  }

  /** {@code maestro runs show RUN}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a run and its steps.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro runs show run_0193…", "  maestro runs show run_0193… --output yaml"})
  static final class Show implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(paramLabel = "RUN", description = "The run id.")
    String runId;

    @Override
    public Integer call() {
      JsonNode run =
          api.client()
              .call(c -> c.run(runId), "/api/runs/" + enc(runId), "cannot read run " + runId);
      output.one(spec.commandLine().getOut(), run, out -> RunPrinter.summary(out, run));
      return 0;
    }
  }

  /** {@code maestro runs logs RUN [--follow]}. */
  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description = "Print a run's log; with --follow, keep printing until the run ends.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro runs logs run_0193…", "  maestro runs logs run_0193… --follow"})
  static final class Logs implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "RUN", description = "The run id.")
    String runId;

    @Option(
        names = {"-f", "--follow"},
        description = "Keep printing new lines until the run ends.")
    boolean follow;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      api.client()
          .run(
              c ->
                  c.runLogs(
                      runId,
                      follow,
                      l -> {
                        RunPrinter.logLine(out, l);
                        out.flush();
                      }),
              "/api/runs/" + enc(runId) + "/logs",
              "cannot read the log of run " + runId);
      return 0;
    }
  }

  /** {@code maestro runs cancel RUN}. */
  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a run: unfinished steps are cancelled, running attempts stopped.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro runs cancel run_0193… --reason \"wrong input\""})
  static final class Cancel implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(paramLabel = "RUN", description = "The run id.")
    String runId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept with the run).")
    String reason;

    @Override
    public Integer call() {
      JsonNode run =
          api.client()
              .call(
                  c -> c.cancelRun(runId, reason),
                  "/api/runs/" + enc(runId) + "/cancel",
                  "cannot cancel run " + runId);
      output.one(
          spec.commandLine().getOut(),
          run,
          out -> out.println("run " + runId + " " + run.path("status").asText()));
      return 0;
    }
  }

  /** Approve and reject share everything but the verb. */
  abstract static class Decide implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    String runId;

    @Parameters(index = "1", paramLabel = "STEP", description = "The approval step's id.")
    String step;

    @Option(
        names = "--comment",
        paramLabel = "TEXT",
        description = "A comment kept with the decision.")
    String comment;

    abstract String verb();

    @Override
    public Integer call() {
      JsonNode r =
          api.client()
              .call(
                  c -> c.decideStep(runId, step, verb(), comment),
                  "/api/runs/" + enc(runId) + "/steps/" + enc(step) + "/" + verb(),
                  "cannot " + verb() + " step " + step + " of run " + runId);
      output.one(
          spec.commandLine().getOut(),
          r,
          out ->
              out.println(
                  "step "
                      + step
                      + " of run "
                      + runId
                      + ": "
                      + r.path("status").asText()
                      + " ("
                      + r.path("approvers").size()
                      + " of "
                      + r.path("required").asText("?")
                      + " approvals)"));
      return 0;
    }
  }

  /** {@code maestro runs approve RUN STEP}. */
  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Approve a run's waiting approval step.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro runs approve run_0193… review --comment \"checked the diff\""})
  static final class Approve extends Decide {
    @Override
    String verb() {
      return "approve";
    }
  }

  /** {@code maestro runs reject RUN STEP}. */
  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Reject a run's waiting approval step; the step and the run fail.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro runs reject run_0193… review --comment \"not in a freeze\""})
  static final class Reject extends Decide {
    @Override
    String verb() {
      return "reject";
    }
  }
}
