package io.maestro.console.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
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
    JsonNode run = api.get("/api/runs/" + ApiClient.seg(id) + "?explain=true");
    JsonNode admission = run.has("admission") ? run.path("admission") : MissingNode.getInstance();
    List<JsonNode> logs = new ArrayList<>();
    for (String line : api.text("/api/runs/" + ApiClient.seg(id) + "/logs").split("\n")) {
      if (!line.isBlank()) {
        try {
          logs.add(JSON.readTree(line));
        } catch (JsonProcessingException e) {
          // a torn last line: shown on the next load
        }
      }
    }
    List<RunReceipts.Checked> receipts = RunReceipts.load(api, run);
    return new RunDetail(run, admission, List.copyOf(logs), List.copyOf(receipts), graph(api, run));
  }

  /** The step graph from the run's manifest; none when the user may not read the workflow. */
  private static Optional<StepGraph> graph(ApiClient api, JsonNode run) {
    try {
      JsonNode v =
          api.get(
              "/api/workflows/"
                  + ApiClient.seg(run.path("workflow").asText())
                  + "/versions/"
                  + ApiClient.seg(run.path("version").asText()));
      return StepGraph.of(v.path("source").asText(""), run);
    } catch (ApiException e) {
      return Optional.empty();
    }
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
