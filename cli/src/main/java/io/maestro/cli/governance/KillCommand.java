package io.maestro.cli.governance;

import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro kill WORKFLOW | --task-type T | --tenant T | --global}: pulls a kill switch; the
 * next matching start is refused with {@code kill_switch_active} ({@code workflow_paused} in pause
 * mode) on every server, and each running run it matched is listed with what happened to it.
 */
@Command(
    name = "kill",
    mixinStandardHelpOptions = true,
    description =
        "Pull a kill switch: stop new starts of a workflow, version, task type or tenant.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro kill hello --reason \"bad deploy\"",
      "  maestro kill hello --version 2 --mode cancel",
      "  maestro kill hello --mode pause --reason \"card service down\"",
      "  maestro kill --task-type core/exec",
      "  maestro kill --tenant acme"
    })
public final class KillCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions api;
  @Mixin Output output;

  @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW")
  String workflow;

  @Option(names = "--version", paramLabel = "V", description = "Only this version.")
  String version;

  @Option(names = "--task-type", paramLabel = "T", description = "Every workflow using T.")
  String taskType;

  @Option(names = "--tenant", paramLabel = "ID", description = "The whole tenant.")
  String tenant;

  @Option(names = "--global", description = "Every tenant (platform roles only).")
  boolean global;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "drain",
      description =
          "Running runs: drain (let them finish, default), cancel, or pause (they are paused"
              + " and new starts are refused with workflow_paused until unkill).")
  String mode;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the receipt.")
  String reason;

  @Override
  public Integer call() {
    int targets =
        (workflow != null ? 1 : 0)
            + (taskType != null ? 1 : 0)
            + (global ? 1 : 0)
            + (tenant != null && workflow == null && taskType == null ? 1 : 0);
    if (targets != 1) {
      throw new UserError("name one target: WORKFLOW, --task-type T, --tenant T or --global");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (global) {
      body.put("scope", "global");
    } else if (workflow != null) {
      body.put("scope", version == null ? "workflow" : "version");
      body.put("target", workflow);
      if (version != null) {
        body.put("version", version);
      }
    } else if (taskType != null) {
      body.put("scope", "task_type");
      body.put("target", taskType);
    } else {
      body.put("scope", "tenant");
    }
    body.put("mode", mode);
    body.put("reason", reason == null ? "" : reason);
    var r =
        api.connect()
            .call(
                "POST",
                Tenants.query("/api/kill-switches", global ? null : tenant),
                body,
                "cannot pull the kill switch");
    output.one(
        spec.commandLine().getOut(),
        r,
        out -> {
          out.println(
              "kill switch "
                  + r.path("id").asText()
                  + " pulled ("
                  + r.path("scope").asText()
                  + ")");
          r.path("applied")
              .forEach(
                  a ->
                      out.println(
                          "  " + a.path("run").asText() + ": " + a.path("outcome").asText()));
        });
    return 0;
  }
}
