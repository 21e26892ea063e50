package io.maestro.cli.governance;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro unkill …}: releases kill switches, by id or by what they stop; the runs a pause
 * switch paused resume, one line each.
 */
@Command(
    name = "unkill",
    mixinStandardHelpOptions = true,
    description = "Release kill switches: by id (ks_…), WORKFLOW, --task-type T or --tenant T.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro unkill hello",
      "  maestro unkill --task-type core/exec",
      "  maestro unkill ks_0193…"
    })
public final class UnkillCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions api;
  @Mixin Output output;

  @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW|ID")
  String target;

  @Option(names = "--task-type", paramLabel = "T")
  String taskType;

  @Option(names = "--tenant", paramLabel = "ID")
  String tenant;

  @Option(names = "--global", description = "The global switches (platform roles only).")
  boolean global;

  @Override
  public Integer call() {
    ApiClient client = api.connect();
    JsonNode active =
        client.call("GET", Tenants.query("/api/kill-switches", tenant), null, "cannot list");
    List<String> ids = new ArrayList<>();
    for (JsonNode k : active.path("items")) {
      String scope = k.path("scope").asText();
      boolean match =
          (target != null
                  && (k.path("id").asText().equals(target)
                      || (k.path("target").asText().equals(target)
                          && (scope.equals("workflow") || scope.equals("version")))))
              || (taskType != null
                  && scope.equals("task_type")
                  && k.path("target").asText().equals(taskType))
              || (global && scope.equals("global"))
              || (target == null && taskType == null && !global && scope.equals("tenant"));
      if (match) {
        ids.add(k.path("id").asText());
      }
    }
    if (ids.isEmpty()) {
      throw new UserError("no active kill switch matches");
    }
    var out = spec.commandLine().getOut();
    for (String id : ids) {
      JsonNode released =
          client.call(
              "DELETE",
              Tenants.query("/api/kill-switches/" + enc(id), tenant),
              null,
              "cannot release " + id);
      out.println("kill switch " + id + " released");
      // A pause switch resumes the runs it paused (or says which another switch still holds).
      released
          .path("applied")
          .forEach(
              a -> out.println("  " + a.path("run").asText() + ": " + a.path("outcome").asText()));
    }
    out.flush();
    return 0;
  }
}
