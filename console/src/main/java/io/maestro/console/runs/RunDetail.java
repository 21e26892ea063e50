package io.maestro.console.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.maestro.console.api.ApiClient;
import java.util.ArrayList;
import java.util.List;

/**
 * A run as its detail page shows it: {@code GET /api/runs/{id}?explain=true} (steps and the
 * admitting decision), its log lines and its receipts with their inclusion state from {@code GET
 * /api/receipts/{id}}.
 */
public record RunDetail(
    JsonNode run, JsonNode admission, List<JsonNode> logs, List<RunReceipts.Checked> receipts) {
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
    return new RunDetail(run, admission, List.copyOf(logs), List.copyOf(receipts));
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
