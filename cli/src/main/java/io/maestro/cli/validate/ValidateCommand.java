package io.maestro.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.workflows.Publisher;
import io.maestro.core.json.Json;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import io.maestro.provenance.verify.VerificationFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maestro validate --post-release}: after a deployment, runs the shipped synthetic workflows
 * on the target, then verifies offline, with the deployment's public signing keys, that their runs
 * and the policy decisions that admitted them are in the receipt log under signed checkpoints, and
 * archives everything it saw as an evidence folder. Exit 1 names the check that failed.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Validate a deployment after a release: run synthetic workflows on it, verify their receipts"
          + " and admission decisions offline with its public signing keys (maestro keys export),"
          + " and archive the evidence.",
      "",
      "Checks, in order: health (/healthz, /readyz), runs (each synthetic workflow SUCCEEDED),"
          + " receipts (the receipt export verifies with --keys: chain, Merkle root, signed"
          + " checkpoints), decisions (each run's start and its decision id and its completion are"
          + " receipted).",
      "Exit status: 0 passed, 1 a check failed (the line names it), 2 usage error."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro keys export --url https://mc.example -o keys.json   # once, from a trusted source",
      "  maestro validate --post-release --url https://mc.example --keys keys.json -o evidence/"
    })
public final class ValidateCommand implements Callable<Integer> {
  /** The synthetic workflows, shipped in the app jar. */
  static final List<String> WORKFLOWS = List.of("synthetic-sequence.yaml", "synthetic-fanout.yaml");

  private static final Set<String> TERMINAL =
      Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions api;

  @Option(
      names = "--post-release",
      required = true,
      description = "Validate a deployed release (the only validation there is, for now).")
  boolean postRelease;

  @Option(
      names = "--keys",
      required = true,
      paramLabel = "JWKS",
      description = "The deployment's public signing keys (from maestro keys export).")
  Path keys;

  @Option(
      names = {"-o", "--out"},
      defaultValue = "post-release-evidence",
      paramLabel = "DIR",
      description = "The evidence folder, new or empty. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      paramLabel = "SECONDS",
      description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  Clock clock = Clock.systemUTC();

  /** A failed check: its name and why. */
  static final class CheckFailed extends Exception {
    private static final long serialVersionUID = 1L;
    final String check;

    CheckFailed(String check, String why) {
      super(why);
      this.check = check;
    }
  }

  @Override
  public Integer call() {
    TrustedKeys trusted;
    try {
      trusted = TrustedKeys.fromJwks(Json.MAPPER.readTree(Files.readString(keys)));
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("the keys file is not a usable JWKS: " + e.getMessage(), 2);
    }
    Evidence evidence = Evidence.create(out);
    ApiClient client = api.connect();
    Instant start = clock.instant();
    Instant deadline = start.plusSeconds(timeoutSeconds);
    ObjectNode report = Json.MAPPER.createObjectNode();
    report.put("target", client.base().toString());
    report.put("startedAt", start.toString());
    ArrayNode checks = report.putArray("checks");
    PrintWriter stdout = spec.commandLine().getOut();
    try {
      health(client, evidence);
      checks.addObject().put("check", "health").put("ok", true);
      List<ObjectNode> runs = runs(client, evidence, deadline);
      checks.addObject().put("check", "runs").put("ok", true).put("runs", runs.size());
      ExportVerifier.Report verified = receipts(client, evidence, trusted, runs, deadline);
      checks
          .addObject()
          .put("check", "receipts")
          .put("ok", true)
          .put("receipts", verified.receipts())
          .put("checkpointKey", verified.latest().keyId());
      checks.addObject().put("check", "decisions").put("ok", true).put("decisions", runs.size());
      double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
      report.put("passed", true).put("seconds", seconds);
      evidence.json("report.json", report);
      stdout.printf(
          "OK post-release validation of %s: %d synthetic runs SUCCEEDED, their %d decisions and"
              + " completions receipted; %d receipts verified offline (checkpoint key %s);"
              + " evidence in %s (%.1f s)%n",
          client.base(),
          runs.size(),
          runs.size(),
          verified.receipts(),
          verified.latest().keyId(),
          out,
          seconds);
      stdout.flush();
      return 0;
    } catch (CheckFailed f) {
      checks.addObject().put("check", f.check).put("ok", false).put("reason", f.getMessage());
      report.put("passed", false);
      report.put("seconds", Duration.between(start, clock.instant()).toMillis() / 1000.0);
      evidence.json("report.json", report);
      throw new UserError(
          "post-release validation FAILED — "
              + f.check
              + ": "
              + f.getMessage()
              + " (evidence in "
              + out
              + ")",
          1);
    }
  }

  private static void health(ApiClient client, Evidence evidence) throws CheckFailed {
    ObjectNode seen = Json.MAPPER.createObjectNode();
    for (String path : List.of("/healthz", "/readyz")) {
      ApiClient.Reply r;
      try {
        r = client.get(path);
      } catch (UserError e) {
        throw new CheckFailed("health", path + ": " + e.getMessage());
      }
      seen.set(
          path, Json.MAPPER.createObjectNode().put("status", r.status()).set("body", r.body()));
      if (r.status() != 200) {
        evidence.json("health.json", seen);
        throw new CheckFailed("health", path + " answered " + r.status());
      }
    }
    evidence.json("health.json", seen);
  }

  private List<ObjectNode> runs(ApiClient client, Evidence evidence, Instant deadline)
      throws CheckFailed {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> started = new LinkedHashMap<>();
    for (String file : WORKFLOWS) {
      String text = resource(file);
      evidence.text("workflows/" + file, text);
      Publisher.Ref ref = Publisher.ref(text);
      try {
        Publisher.ensurePublished(client, ref, text, false, err);
      } catch (UserError e) {
        throw new CheckFailed("runs", "cannot publish " + ref + ": " + e.getMessage());
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("workflow", ref.name());
      body.put("version", ref.version());
      body.put("inputs", Map.of());
      ApiClient.Reply r = client.post("/api/runs", body);
      if (!r.ok()) {
        throw new CheckFailed("runs", "cannot start " + ref + ": " + r.problem());
      }
      started.put(ref.name(), r.body().path("id").asText());
    }
    List<ObjectNode> done = new ArrayList<>();
    for (Map.Entry<String, String> e : started.entrySet()) {
      ObjectNode run = awaitEnd(client, e.getValue(), deadline);
      evidence.json("runs/" + e.getKey() + ".json", run);
      if (!"SUCCEEDED".equals(run.path("status").asText())) {
        throw new CheckFailed(
            "runs",
            e.getKey()
                + " run "
                + e.getValue()
                + " ended "
                + run.path("status").asText()
                + run.path("error").asText(""));
      }
      done.add(run);
    }
    return done;
  }

  private ObjectNode awaitEnd(ApiClient client, String runId, Instant deadline) throws CheckFailed {
    while (true) {
      ApiClient.Reply r = client.get("/api/runs/" + runId);
      if (!r.ok()) {
        throw new CheckFailed("runs", "cannot read run " + runId + ": " + r.problem());
      }
      if (TERMINAL.contains(r.body().path("status").asText())) {
        return (ObjectNode) r.body();
      }
      if (clock.instant().isAfter(deadline)) {
        throw new CheckFailed(
            "runs", "run " + runId + " still " + r.body().path("status").asText() + " at timeout");
      }
      pause();
    }
  }

  /**
   * Exports the receipt log up to its latest checkpoint until it covers every synthetic run's start
   * (with its decision id) and completion, verifies it offline, and keeps it.
   */
  private ExportVerifier.Report receipts(
      ApiClient client,
      Evidence evidence,
      TrustedKeys trusted,
      List<ObjectNode> runs,
      Instant deadline)
      throws CheckFailed {
    while (true) {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try {
        client.download("/api/receipts/export?from=1&to=0", sink, "cannot export receipts");
      } catch (UserError e) {
        throw new CheckFailed("receipts", e.getMessage());
      }
      String export = sink.toString(StandardCharsets.UTF_8);
      Optional<String> missing = missing(export, runs);
      if (missing.isEmpty() || clock.instant().isAfter(deadline)) {
        evidence.text("receipts.ndjson", export);
        ExportVerifier.Report verified;
        try {
          verified = ExportVerifier.verify(new StringReader(export), trusted, Optional.empty());
        } catch (VerificationFailure f) {
          throw new CheckFailed("receipts", f.describe());
        } catch (IOException e) {
          throw new CheckFailed("receipts", e.getMessage());
        }
        if (missing.isPresent()) {
          throw new CheckFailed("decisions", missing.get());
        }
        return verified;
      }
      pause();
    }
  }

  /** What the export lacks of the runs' receipts, if anything. */
  static Optional<String> missing(String export, List<ObjectNode> runs) {
    List<String> receipts =
        export.lines().filter(l -> l.startsWith("{\"kind\":\"receipt\"")).toList();
    for (ObjectNode run : runs) {
      String id = run.path("id").asText();
      String decision = run.path("decisionId").asText();
      boolean start =
          receipts.stream()
              .anyMatch(l -> l.contains("run.started") && l.contains(id) && l.contains(decision));
      boolean end = receipts.stream().anyMatch(l -> l.contains("run.completed") && l.contains(id));
      if (!start) {
        return Optional.of(
            "no checkpointed receipt of run " + id + " starting under decision " + decision);
      }
      if (!end) {
        return Optional.of("no checkpointed receipt of run " + id + " completing");
      }
    }
    return Optional.empty();
  }

  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }

  private static String resource(String name) {
    try (InputStream in = ValidateCommand.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new UserError("this build ships no " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError("cannot read " + name + ": " + e.getMessage());
    }
  }

  /** The evidence folder: created new (or empty), every file written as the checks go. */
  record Evidence(Path dir) {
    static Evidence create(Path dir) {
      try {
        if (Files.isDirectory(dir)) {
          try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
              throw new UserError(dir + " is not empty: choose a new evidence folder", 2);
            }
          }
        }
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UserError("cannot create " + dir + ": " + e.getMessage(), 2);
      }
      return new Evidence(dir);
    }

    void json(String name, JsonNode node) {
      try {
        text(name, Json.PRETTY.writeValueAsString(node) + "\n");
      } catch (IOException e) {
        throw new UserError("cannot write " + dir.resolve(name) + ": " + e.getMessage());
      }
    }

    void text(String name, String content) {
      Path f = dir.resolve(name);
      try {
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UserError("cannot write " + f + ": " + e.getMessage());
      }
    }
  }
}
