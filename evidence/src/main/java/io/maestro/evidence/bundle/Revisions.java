package io.maestro.evidence.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * The policy bundle revisions and tenant profiles the window's decisions were made under, each with
 * when it was first and last seen and how many decisions used it.
 */
final class Revisions {
  private static final class Seen {
    String first;
    String last;
    long decisions;

    void at(String time) {
      if (first == null || time.compareTo(first) < 0) {
        first = time;
      }
      if (last == null || time.compareTo(last) > 0) {
        last = time;
      }
      decisions++;
    }
  }

  private final Map<String, Seen> bundles = new TreeMap<>();
  private final Map<String, Seen> profiles = new TreeMap<>();

  /** A decision bound to a receipt: its revision (bundle name unknown: {@code ""}). */
  void seen(String revision, String bundle, String time) {
    bundles.computeIfAbsent(bundle + "\n" + revision, k -> new Seen()).at(time);
  }

  /** An access-log line: every bundle and revision it names, and its profile. */
  void seen(JsonNode access) {
    String time = access.path("time").asText();
    access.path("bundles").properties().forEach(b -> seen(b.getValue().asText(), b.getKey(), time));
    if (!access.path("profile").isNull() && !access.path("profile").asText().isEmpty()) {
      profiles.computeIfAbsent(access.path("profile").asText(), k -> new Seen()).at(time);
    }
  }

  JsonNode bundlesJson() {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    bundles.forEach(
        (k, s) -> {
          String[] parts = k.split("\n", 2);
          a.addObject()
              .put("bundle", parts[0].isEmpty() ? null : parts[0])
              .put("revision", parts[1])
              .put("first_seen", s.first)
              .put("last_seen", s.last)
              .put("decisions", s.decisions);
        });
    return JsonNodeFactory.instance.objectNode().set("revisions", a);
  }

  ArrayNode profilesJson() {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    profiles.forEach(
        (p, s) ->
            a.addObject()
                .put("profile", p)
                .put("first_seen", s.first)
                .put("last_seen", s.last)
                .put("decisions", s.decisions));
    return a;
  }
}
