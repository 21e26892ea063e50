package io.maestro.console.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.console.api.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of the runs list: the filters as given and the rows {@code GET /api/runs} returned. The
 * API filters by status and workflow; the time window is applied here, which is exact because runs
 * come newest first: the first run older than the window ends the list.
 */
public record RunList(
    String status, String workflow, String since, List<JsonNode> rows, String next) {
  public static final List<String> STATUSES =
      List.of("PENDING", "RUNNING", "PAUSED", "SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
  public static final List<String> WINDOWS = List.of("", "1h", "24h", "7d");
  static final int PAGE = 50;

  public static String windowLabel(String w) {
    return switch (w) {
      case "1h" -> "last hour";
      case "24h" -> "last 24 hours";
      case "7d" -> "last 7 days";
      default -> "any time";
    };
  }

  static RunList load(
      ApiClient api, String status, String workflow, String since, String cursor, Instant now) {
    String s = STATUSES.contains(status) ? status : "";
    String w = WINDOWS.contains(since) ? since : "";
    Map<String, String> q = new LinkedHashMap<>();
    q.put("status", s);
    q.put("workflow", workflow);
    q.put("limit", String.valueOf(PAGE));
    q.put("cursor", cursor);
    JsonNode page = api.get(ApiClient.query("/api/runs", q));
    Instant from = w.isEmpty() ? Instant.MIN : now.minus(window(w));
    List<JsonNode> rows = new ArrayList<>();
    boolean older = false;
    for (JsonNode r : page.path("items")) {
      if (Instant.parse(r.path("createdAt").asText()).isBefore(from)) {
        older = true;
        break;
      }
      rows.add(r);
    }
    String next = older || !page.hasNonNull("nextCursor") ? null : page.path("nextCursor").asText();
    return new RunList(s, workflow == null ? "" : workflow, w, List.copyOf(rows), next);
  }

  private static Duration window(String w) {
    return switch (w) {
      case "1h" -> Duration.ofHours(1);
      case "24h" -> Duration.ofDays(1);
      default -> Duration.ofDays(7);
    };
  }

  public String nextHref() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("status", status);
    q.put("workflow", workflow);
    q.put("since", since);
    q.put("cursor", next);
    return ApiClient.query("/console/runs", q);
  }
}
