package io.maestro.console.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.console.api.ApiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's configuration changes as its receipt log records them ({@code config.changed} receipts
 * with their JSON diff), and the change that undoes the last one.
 */
public final class ConfigHistory {
  private ConfigHistory() {}

  /** The tenant's receipts of {@code type} ({@code config.changed}, …), newest first. */
  static List<JsonNode> changes(ApiClient api, String tenant, boolean platform, String type) {
    List<JsonNode> all = new ArrayList<>();
    String after = "";
    for (int pages = 0; pages < 100; pages++) {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("tenant", platform ? tenant : "");
      q.put("type", type);
      q.put("limit", "500");
      q.put("after", after);
      JsonNode page = api.get(ApiClient.query("/api/receipts", q));
      page.path("receipts").forEach(all::add);
      if (!page.path("next_after").canConvertToLong() || page.path("next_after").isNull()) {
        break;
      }
      after = page.path("next_after").asText();
    }
    return all.reversed();
  }

  /** The receipt types of the changes "rollback config" can undo. */
  static final List<String> REVERTIBLE = List.of("config.changed", "profile.assigned");

  /** The tenant's configuration and profile changes, newest first. */
  static List<JsonNode> changes(ApiClient api, String tenant, boolean platform) {
    List<JsonNode> all = new ArrayList<>();
    for (String type : REVERTIBLE) {
      all.addAll(changes(api, tenant, platform, type));
    }
    all.sort((a, b) -> Long.compare(b.path("seq").asLong(), a.path("seq").asLong()));
    return all;
  }

  /** The profile {@code receipt}'s assignment replaced, if it was a profile assignment. */
  static Optional<String> revertProfile(JsonNode receipt) {
    for (JsonNode c : receipt.path("payload").path("changes")) {
      if (c.path("path").asText().equals("/profile") && c.path("from").isTextual()) {
        return Optional.of(c.path("from").asText());
      }
    }
    return Optional.empty();
  }

  /**
   * The PATCH body that puts back what {@code receipt}'s change replaced: each changed setting gets
   * its {@code from} value. Empty when the change touched nothing a PATCH can set.
   */
  static Optional<ObjectNode> revert(JsonNode receipt) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    for (JsonNode c : receipt.path("payload").path("changes")) {
      String[] path = c.path("path").asText().substring(1).split("/");
      JsonNode from = c.path("from");
      if (from.isMissingNode()) {
        continue;
      }
      switch (path[0]) {
        case "name", "status" -> body.set(path[0], from);
        case "quotas", "budget" -> {
          ObjectNode group =
              body.has(path[0]) ? (ObjectNode) body.get(path[0]) : body.putObject(path[0]);
          if (path.length == 2) {
            group.set(path[1], from);
          } else if (path.length == 1 && from.isObject()) {
            group.setAll((ObjectNode) from);
          }
        }
        default -> {}
      }
    }
    return body.isEmpty() ? Optional.empty() : Optional.of(body);
  }

  /** One line per change of a receipt's diff: {@code /quotas/max_concurrent_runs: 10 → 20}. */
  public static List<String> lines(JsonNode receipt) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : receipt.path("payload").path("changes")) {
      out.add(
          c.path("path").asText()
              + ": "
              + (c.has("from") ? c.path("from").toString() : "—")
              + " → "
              + (c.has("to") ? c.path("to").toString() : "—"));
    }
    return out;
  }
}
