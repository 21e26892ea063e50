package io.maestro.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.console.api.ApiClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The receipts an action left in the tenant's log, found through the receipts API by type and
 * subject (the governance and schedule endpoints answer with the changed object, not with its
 * receipt). A read returns every receipt of actions acknowledged before it, so the receipt of an
 * action that just returned is there.
 */
public final class ActionReceipts {
  private ActionReceipts() {}

  /** The newest receipt of {@code type} about {@code kind id} at or after {@code since}. */
  public static Optional<JsonNode> newest(
      ApiClient api, String type, String kind, String id, Instant since) {
    List<JsonNode> found = about(api, type, kind, id, since);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getLast());
  }

  /**
   * Every receipt of {@code type} about {@code kind id} at or after {@code since}, oldest first.
   */
  public static List<JsonNode> about(
      ApiClient api, String type, String kind, String id, Instant since) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode r : ofType(api, type, since)) {
      if (kind.equals(r.path("subject").path("kind").asText())
          && id.equals(r.path("subject").path("id").asText())) {
        out.add(r);
      }
    }
    return out;
  }

  /** The tenant's receipts of {@code type} at or after {@code since}, oldest first (≤ 2,000). */
  public static List<JsonNode> ofType(ApiClient api, String type, Instant since) {
    List<JsonNode> all = new ArrayList<>();
    String after = "";
    for (int pages = 0; pages < 4; pages++) {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("type", type);
      q.put("since", since.toString());
      q.put("limit", "500");
      q.put("after", after);
      JsonNode page = api.get(ApiClient.query("/api/receipts", q));
      page.path("receipts").forEach(all::add);
      if (page.path("next_after").isNull() || !page.path("next_after").canConvertToLong()) {
        break;
      }
      after = page.path("next_after").asText();
    }
    return all;
  }
}
