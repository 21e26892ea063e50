package io.maestro.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ClientOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
    description = {
      "Run a workflow file: publish its version if needed, start a run, optionally follow it.",
      "Exit status: 0 when started (or, with --follow, when the run succeeded), 1 otherwise."
    })
public final class RunCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ClientOptions client;

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
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "Start at most one run for KEY.")
  String idempotencyKey;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Bearer token (default: $MAESTRO_TOKEN, $MAESTRO_HOME/token, or a dev token).")
  String token;

  @Option(
      names = "--tenant",
      paramLabel = "TENANT",
      defaultValue = "dev",
      description = "Tenant for a dev token (default: ${DEFAULT-VALUE}).")
  String tenant;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
    String[] nv = nameAndVersion(text);
    String name = nv[0];
    String version = nv[1];
    EngineClient api =
        new EngineClient(
            client.serverUrl(),
            EngineClient.token(
                Optional.ofNullable(token),
                ClientOptions.home(),
                client.serverUrl(),
                tenant,
                err::println));
    ensurePublished(api, name, version, text, file.toString().endsWith(".json"), err);

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workflow", name);
    body.put("version", version);
    body.put("inputs", parseInputs(inputs));
    if (idempotencyKey != null) {
      body.put("idempotencyKey", idempotencyKey);
    }
    EngineClient.Reply started = api.post("/api/runs", body);
    if (!started.ok()) {
      throw new UserError("cannot start " + name + "@" + version + ": " + started.problem());
    }
    String runId = started.body().path("id").asText();
    out.println("run " + runId + " started (" + name + "@" + version + ")");
    out.flush();
    if (!follow) {
      return 0;
    }
    api.followLogs(runId, 0, l -> RunPrinter.logLine(out, l));
    EngineClient.Reply run = api.get("/api/runs/" + runId);
    if (!run.ok()) {
      throw new UserError("cannot read run " + runId + ": " + run.problem());
    }
    RunPrinter.summary(out, run.body());
    return "SUCCEEDED".equals(run.body().path("status").asText()) ? 0 : 1;
  }

  private static void ensurePublished(
      EngineClient api, String name, String version, String text, boolean json, PrintWriter err) {
    EngineClient.Reply wf = api.get("/api/workflows/" + name);
    if (wf.ok()) {
      for (JsonNode v : wf.body().path("versions")) {
        if (v.path("version").asText().equals(version)
            && "PUBLISHED".equals(v.path("status").asText())) {
          return;
        }
      }
    }
    String path = "/api/workflows/" + name + "/versions/" + version;
    EngineClient.Reply put =
        api.putText(path, text, json ? "application/json" : "application/yaml");
    if (!put.ok()) {
      throw new UserError("cannot save " + name + "@" + version + ": " + put.problem());
    }
    if ("PUBLISHED".equals(put.body().path("status").asText())) {
      return;
    }
    EngineClient.Reply pub = api.post(path + "/publish", null);
    if (!pub.ok()) {
      throw new UserError(
          name + "@" + version + " is not published and you may not publish it: " + pub.problem());
    }
    err.println(
        "published " + name + "@" + version + " (" + pub.body().path("digest").asText() + ")");
    err.flush();
  }

  /** Reads metadata.name/version (or the minimal form's name/version) without validating. */
  static String[] nameAndVersion(String text) {
    JsonNode doc;
    try {
      doc = new YAMLMapper().readTree(text);
    } catch (IOException e) {
      throw new UserError("the file is not YAML or JSON: " + e.getMessage());
    }
    JsonNode md = doc.has("metadata") ? doc.path("metadata") : doc;
    String name = md.path("name").asText("");
    String version = md.path("version").asText("");
    if (name.isEmpty() || version.isEmpty()) {
      throw new UserError("the manifest needs metadata.name and metadata.version");
    }
    return new String[] {name, version};
  }

  static Map<String, Object> parseInputs(Map<String, String> raw) {
    Map<String, Object> out = new LinkedHashMap<>();
    raw.forEach(
        (k, v) -> {
          try {
            out.put(k, EngineClient.JSON.readValue(v, Object.class));
          } catch (IOException e) {
            out.put(k, v);
          }
        });
    return out;
  }
}
