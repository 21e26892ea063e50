package io.maestro.cli.run;

import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro status RUN [--explain]}: a run's status and its steps; with {@code --explain} also
 * the policy decision that admitted it. Without a run: the tenant's schedules and their next ticks.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro status run_0193…",
      "  maestro status run_0193… --explain",
      "  maestro status                      # the tenant's schedules"
    },
    description = {
      "Show a run and its steps; with --explain, also the policy decision that admitted it.",
      "Without a run: the tenant's schedules, paused or not, with their next tick.",
      "Exit status: 0 for a run that succeeded or is still going, 1 for one that failed."
    })
public final class StatusCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions options;

  @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(
      names = "--explain",
      description =
          "Also show the policy decision that admitted the run: its id, reasons, bundle"
              + " revision and profile, with the quota, budget and usage the policy saw.")
  boolean explain;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ApiClient api = options.connect();
    if (runId == null) {
      return schedules(out, api);
    }
    ApiClient.Reply run = api.get("/api/runs/" + runId + (explain ? "?explain=true" : ""));
    if (!run.ok()) {
      throw new UserError("cannot read run " + runId + ": " + run.problem());
    }
    RunPrinter.summary(out, run.body());
    if (explain) {
      RunPrinter.admission(out, run.body().path("admission"));
    }
    String s = run.body().path("status").asText();
    return switch (s) {
      case "FAILED", "CANCELLED", "TIMED_OUT" -> 1;
      default -> 0;
    };
  }

  /** The tenant's schedules, one line each. */
  private static int schedules(PrintWriter out, ApiClient api) {
    ApiClient.Reply r = api.get("/api/schedules");
    if (!r.ok()) {
      throw new UserError("cannot list the schedules: " + r.problem());
    }
    var items = r.body().path("items");
    out.println("schedules: " + items.size());
    for (var s : items) {
      out.println(
          "  "
              + s.path("id").asText()
              + "  "
              + s.path("workflow").asText()
              + "  \""
              + s.path("cron").asText()
              + "\" "
              + s.path("timeZone").asText()
              + "  "
              + (s.path("paused").asBoolean()
                  ? "paused"
                  : "next " + s.path("nextTick").asText("none")));
    }
    out.flush();
    return 0;
  }
}
