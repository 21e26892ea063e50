package io.maestro.cli.run;

import io.maestro.cli.CliFiles;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.workflows.Publisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro run FILE}: saves and publishes the manifest's version unless it is already
 * published (which needs the right to publish), starts a run, and with {@code --follow} prints the
 * run log live and exits 0 only if the run succeeded.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro run examples/hello.yaml --follow",
      "  maestro run examples/hello.yaml -i name=Ada --idempotency-key deploy-42"
    },
    description = {
      "Run a workflow file: publish its version if needed, start a run, optionally follow it.",
      "Exit status: 0 when started (or, with --follow, when the run succeeded), 1 otherwise."
    })
public final class RunCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions options;

  @Parameters(index = "0", paramLabel = "FILE", description = "The manifest (YAML or JSON).")
  Path file;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "KEY=VALUE",
      description = "A run input; VALUE is read as JSON when it parses (42, true, [1]), else text.")
  Map<String, String> inputs = new LinkedHashMap<>();

  @Option(
      names = {"-f", "--follow"},
      description = "Print the steps and log live; exit 0 only if the run succeeded.")
  boolean follow;

  @Option(
      names = "--explain",
      description =
          "When policy refuses the start (e.g. budget_exceeded), print the decision's input and"
              + " result (needs policy.read).")
  boolean explain;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "Start at most one run for KEY.")
  String idempotencyKey;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String text = CliFiles.read(file);
    Publisher.Ref ref = Publisher.ref(text);
    String name = ref.name();
    String version = ref.version();
    ApiClient api = options.connect();
    Publisher.ensurePublished(api, ref, text, file.toString().endsWith(".json"), err);

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workflow", name);
    body.put("version", version);
    body.put("inputs", parseInputs(inputs));
    if (idempotencyKey != null) {
      body.put("idempotencyKey", idempotencyKey);
    }
    ApiClient.Reply started = api.post(explain ? "/api/runs?explain=true" : "/api/runs", body);
    if (!started.ok()) {
      if (explain && started.body().has("explanation")) {
        try {
          out.println(
              ApiClient.JSON
                  .writerWithDefaultPrettyPrinter()
                  .writeValueAsString(started.body().path("explanation")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new UserError("cannot print the explanation: " + e.getOriginalMessage());
        }
        out.flush();
      }
      throw new UserError("cannot start " + name + "@" + version + ": " + started.problem());
    }
    String runId = started.body().path("id").asText();
    out.println(
        "run "
            + runId
            + " started ("
            + name
            + "@"
            + version
            + (started.body().has("estimatedCostUSD")
                ? ", estimated cost USD " + started.body().path("estimatedCostUSD").asText()
                : "")
            + ")");
    for (var w : started.body().path("warnings")) {
      err.println(
          "warning: "
              + w.path("period").asText()
              + " budget nearly used: USD "
              + w.path("spentUSD").asText()
              + " spent + "
              + w.path("estimatedCostUSD").asText()
              + " estimated of "
              + w.path("limitUSD").asText());
    }
    err.flush();
    out.flush();
    if (!follow) {
      return 0;
    }
    api.followLogs(runId, 0, l -> RunPrinter.logLine(out, l));
    ApiClient.Reply run = api.get("/api/runs/" + runId);
    if (!run.ok()) {
      throw new UserError("cannot read run " + runId + ": " + run.problem());
    }
    RunPrinter.summary(out, run.body());
    return "SUCCEEDED".equals(run.body().path("status").asText()) ? 0 : 1;
  }

  /** Run inputs from {@code KEY=VALUE} flags (also {@code maestro plan}'s). */
  public static Map<String, Object> parseInputs(Map<String, String> raw) {
    Map<String, Object> out = new LinkedHashMap<>();
    raw.forEach(
        (k, v) -> {
          try {
            out.put(k, ApiClient.JSON.readValue(v, Object.class));
          } catch (IOException e) {
            out.put(k, v);
          }
        });
    return out;
  }
}
