package io.maestro.evidence.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Answers "who did what, why was it allowed, what changed" for one subject or one actor from a
 * compliance bundle's index alone (offline; verify the bundle first to trust the answer).
 */
public final class Explainer {
  private Explainer() {}

  /** Whom or what to explain: {@code subject} such as {@code run:run_01…}, or an actor. */
  public sealed interface Query {
    record Subject(String key) implements Query {}

    record Actor(String sub) implements Query {}
  }

  /**
   * The explanation as lines of text, oldest event first; empty when the bundle has nothing about
   * the subject or actor.
   *
   * @throws IllegalArgumentException when the bundle has no index
   */
  public static List<String> explain(Map<String, byte[]> files, Query query) throws IOException {
    byte[] raw = files.get(BundleFormat.INDEX);
    if (raw == null) {
      throw new IllegalArgumentException(
          "not a compliance bundle: it has no " + BundleFormat.INDEX);
    }
    JsonNode index = Json.MAPPER.readTree(raw);
    JsonNode positions =
        switch (query) {
          case Query.Subject s -> index.path("subjects").path(s.key());
          case Query.Actor a -> index.path("actors").path(a.sub());
        };
    List<String> out = new ArrayList<>();
    for (JsonNode i : positions) {
      describe(index.path("entries").get(i.asInt()), out);
    }
    return out;
  }

  private static void describe(JsonNode e, List<String> out) {
    String subject = e.path("subject").asText("");
    out.add(
        e.path("time").asText()
            + "  "
            + e.path("actor").asText()
            + "  "
            + e.path("action").asText()
            + (subject.isEmpty() ? "" : "  " + subject)
            + (e.path("kind").asText().equals("request")
                ? "  (" + e.path("method").asText("") + " " + e.path("route").asText("") + ")"
                : ""));
    if (e.has("decision")) {
      boolean allow = e.path("allow").asBoolean();
      StringBuilder why =
          new StringBuilder(allow ? "  allowed by decision " : "  DENIED by decision ")
              .append(e.path("decision").asText());
      if (e.has("bundle_revision")) {
        why.append(" (policy bundle ").append(e.path("bundle_revision").asText()).append(')');
      }
      List<String> reasons = new ArrayList<>();
      e.path("reasons").forEach(r -> reasons.add(r.path("code").asText()));
      why.append(
          reasons.isEmpty() ? "; no refusal reasons" : "; reasons: " + String.join(", ", reasons));
      out.add(why.toString());
    } else {
      out.add("  no policy decision recorded with it (a system action)");
    }
    if (e.path("kind").asText().equals("receipt")) {
      out.add(
          "  recorded: receipt #"
              + e.path("receipt").asLong()
              + " "
              + e.path("type").asText()
              + " ("
              + e.path("file").asText()
              + ")");
    } else {
      List<String> effects = new ArrayList<>();
      e.path("receipts")
          .forEach(r -> effects.add("#" + r.path("seq").asLong() + " " + r.path("type").asText()));
      out.add(
          "  result: "
              + e.path("result").asText()
              + (e.path("status").isInt() ? ", HTTP " + e.path("status").asInt() : "")
              + (effects.isEmpty() ? "" : "; receipts " + String.join(", ", effects))
              + " ("
              + e.path("file").asText()
              + " line "
              + e.path("line").asInt()
              + ")");
    }
    for (JsonNode c : e.path("changes")) {
      out.add(
          "  changed "
              + c.path("path").asText()
              + ": "
              + (c.has("from") ? c.get("from").toString() : "(absent)")
              + " -> "
              + (c.has("to") ? c.get("to").toString() : "(removed)"));
    }
  }
}
