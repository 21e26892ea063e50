package io.maestro.policy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the result of a mask rule to a decision's input as OPA's {@code system.log.mask} does:
 * each result is a JSON pointer to erase ({@code "/input/password"}) or an object {@code {"op":
 * "remove"|"upsert", "path": …, "value": …}}. Only pointers under {@code /input} are honoured; the
 * result of a decision is never masked.
 */
public final class Masking {
  private Masking() {}

  /** What was changed: pointers erased and pointers replaced. */
  public record Applied(JsonNode input, List<String> erased, List<String> masked) {}

  public static Applied apply(JsonNode input, JsonNode maskRules) {
    if (input == null || maskRules == null || !maskRules.isArray() || maskRules.isEmpty()) {
      return new Applied(input, List.of(), List.of());
    }
    JsonNode copy = input.deepCopy();
    List<String> erased = new ArrayList<>();
    List<String> masked = new ArrayList<>();
    for (JsonNode rule : maskRules) {
      String op;
      String path;
      JsonNode value = null;
      if (rule.isTextual()) {
        op = "remove";
        path = rule.textValue();
      } else if (rule.isObject() && rule.path("path").isTextual()) {
        op = rule.path("op").asText("remove");
        path = rule.get("path").textValue();
        value = rule.get("value");
      } else {
        continue;
      }
      if (!path.startsWith("/input/")) {
        continue;
      }
      List<String> tokens = tokens(path.substring("/input".length()));
      if ("upsert".equals(op) && value != null) {
        if (upsert(copy, tokens, value)) {
          masked.add(path);
        }
      } else if (remove(copy, tokens)) {
        erased.add(path);
      }
    }
    return new Applied(copy, erased, masked);
  }

  private static List<String> tokens(String pointer) {
    List<String> out = new ArrayList<>();
    for (String t : pointer.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode parent(JsonNode root, List<String> tokens) {
    JsonNode n = root;
    for (int i = 0; i < tokens.size() - 1 && n != null; i++) {
      n = n.isArray() ? index(n, tokens.get(i)) : n.get(tokens.get(i));
    }
    return n;
  }

  private static JsonNode index(JsonNode array, String token) {
    try {
      return array.get(Integer.parseInt(token));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean remove(JsonNode root, List<String> tokens) {
    JsonNode p = parent(root, tokens);
    String last = tokens.get(tokens.size() - 1);
    if (p instanceof ObjectNode o && o.has(last)) {
      o.remove(last);
      return true;
    }
    if (p instanceof ArrayNode a && index(a, last) != null) {
      a.remove(Integer.parseInt(last));
      return true;
    }
    return false;
  }

  private static boolean upsert(JsonNode root, List<String> tokens, JsonNode value) {
    JsonNode n = root;
    for (int i = 0; i < tokens.size() - 1; i++) {
      if (!(n instanceof ObjectNode o)) {
        return false;
      }
      JsonNode next = o.get(tokens.get(i));
      if (next == null) {
        next = o.putObject(tokens.get(i));
      }
      n = next;
    }
    if (n instanceof ObjectNode o) {
      o.set(tokens.get(tokens.size() - 1), value.deepCopy());
      return true;
    }
    return false;
  }
}
