package io.maestro.console.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.maestro.console.api.ApiClient;
import io.maestro.console.web.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A run as its detail page shows it: {@code GET /api/runs/{id}?explain=true} (steps and the
 * admitting decision), its log lines, its receipts with their inclusion state ({@code GET
 * /api/receipts?run=…&proofs=true}) and the step graph of its manifest.
 */
public record RunDetail(
    JsonNode run,
    JsonNode admission,
    List<JsonNode> logs,
    List<RunReceipts.Checked> receipts,
    Optional<StepGraph> graph) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static RunDetail load(ApiClient api, String id) {
    // The run, its log and its receipts are independent reads: made side by side, the page waits
    // for the slowest rather than their sum. The step graph needs the run's workflow version.
    String seg = ApiClient.seg(id);
    var run = Async.call(() -> api.get("/api/runs/" + seg + "?explain=true"));
    var logText = Async.call(() -> api.text("/api/runs/" + seg + "/logs"));
    var checked = Async.call(() -> RunReceipts.load(api, id));
    JsonNode r = Async.join(run);
    Optional<StepGraph> graph = graph(api, r);
    JsonNode admission = r.has("admission") ? r.path("admission") : MissingNode.getInstance();
    List<JsonNode> logs = new ArrayList<>();
    for (String line : Async.join(logText).split("\n")) {
      if (!line.isBlank()) {
        try {
          logs.add(JSON.readTree(line));
        } catch (JsonProcessingException e) {
          // a torn last line: shown on the next load
        }
      }
    }
    List<RunReceipts.Checked> receipts = Async.join(checked);
    return new RunDetail(r, admission, List.copyOf(logs), List.copyOf(receipts), graph);
  }

  /**
   * The step graph from the run's manifest; none when the user may not read the workflow. A
   * published version never changes, so its source is remembered per token (a user who may read it
   * once may read it again until the token goes; the cache is small and per process).
   */
  private static Optional<StepGraph> graph(ApiClient api, JsonNode run) {
    String path =
        "/api/workflows/"
            + ApiClient.seg(run.path("workflow").asText())
            + "/versions/"
            + ApiClient.seg(run.path("version").asText());
    String source = VersionSources.get(api, path);
    return source == null ? Optional.empty() : StepGraph.of(source, run);
  }

  /** Whether the run may still write log lines (the page then follows them live). */
  public boolean live() {
    String s = run.path("status").asText();
    return s.equals("PENDING") || s.equals("RUNNING");
  }

  /** The {@code seq} of the last log line on the page: the live stream starts after it. */
  public long lastLogSeq() {
    return logs.isEmpty() ? 0 : logs.get(logs.size() - 1).path("seq").asLong();
  }

  /** A log line as the page prints it (and {@code live.js} prints streamed ones). */
  public static String logLine(JsonNode l) {
    return l.path("at").asText()
        + " "
        + l.path("step").asText("-")
        + " "
        + l.path("stream").asText()
        + ": "
        + l.path("message").asText();
  }

  public List<JsonNode> steps() {
    List<JsonNode> out = new ArrayList<>();
    run.path("steps").forEach(out::add);
    return out;
  }

  public boolean cancellable() {
    String s = run.path("status").asText();
    return s.equals("PENDING") || s.equals("RUNNING");
  }

  public static boolean awaitingApproval(JsonNode step) {
    return "WAITING".equals(step.path("status").asText())
        && step.path("uses").asText().startsWith("core/approval");
  }

  public static String pretty(JsonNode n) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
    } catch (JsonProcessingException e) {
      return n.toString();
    }
  }
}
