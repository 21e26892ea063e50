package io.maestro.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** How runs, steps and log lines look in a terminal. */
public final class RunPrinter {
  private RunPrinter() {}

  public static void logLine(PrintWriter out, JsonNode l) {
    String at = l.path("at").asText("");
    String time = at.length() >= 19 ? at.substring(11, 19) : at;
    String step = l.path("step").asText("");
    String stream = l.path("stream").asText("");
    String prefix = step.isEmpty() ? "run" : step;
    String tag = "log".equals(stream) ? "" : stream.equals("engine") ? "· " : stream + ": ";
    out.println(time + "  " + pad(prefix, 14) + " " + tag + l.path("message").asText());
    out.flush();
  }

  public static void summary(PrintWriter out, JsonNode run) {
    out.println();
    out.println(
        "run "
            + run.path("id").asText()
            + "  "
            + run.path("workflow").asText()
            + "@"
            + run.path("version").asText()
            + "  "
            + run.path("status").asText());
    for (JsonNode s : run.path("steps")) {
      String line =
          "  "
              + pad(s.path("id").asText(), 16)
              + pad(s.path("status").asText(), 11)
              + "attempt "
              + s.path("attempt").asInt()
              + (s.path("duplicates").asInt() > 0
                  ? " (" + s.path("duplicates").asInt() + " duplicate deliveries)"
                  : "");
      if (s.has("error")) {
        line += "  " + s.path("error").asText();
      }
      out.println(line);
    }
    if (run.has("error")) {
      out.println("error: " + run.path("error").asText());
    }
    out.flush();
  }

  /** The decision that admitted a run, as {@code GET /api/runs/{id}?explain=true} returns it. */
  static void admission(PrintWriter out, JsonNode a) {
    out.println();
    if (a.isMissingNode() || a.isNull()) {
      out.println("admission: the server did not explain this run");
      out.flush();
      return;
    }
    out.println(
        "admitted by decision "
            + a.path("decision_id").asText()
            + "  "
            + (a.path("allow").asBoolean(false) ? "allow" : "deny")
            + (a.has("bundle_revision") ? "  bundle " + a.path("bundle_revision").asText() : "")
            + (a.has("profile") ? "  profile " + a.path("profile").asText() : ""));
    if (a.has("decided_at")) {
      out.println("  decided at  " + a.path("decided_at").asText());
    }
    JsonNode reasons = a.path("reasons");
    if (reasons.isEmpty()) {
      out.println("  reasons     (none given)");
    }
    for (JsonNode r : reasons) {
      String message = r.path("message").asText("");
      out.println(
          "  reason      " + r.path("code").asText() + (message.isEmpty() ? "" : ": " + message));
    }
    context(out, "quota", a.path("quota"));
    context(out, "budget", a.path("budget"));
    context(out, "usage", a.path("usage"));
    if (a.has("receipt")) {
      out.println(
          "  receipt     seq "
              + a.path("receipt").path("seq").asLong()
              + " "
              + a.path("receipt").path("id").asText());
    }
    if (a.has("note")) {
      out.println("  note        " + a.path("note").asText());
    }
    out.flush();
  }

  private static void context(PrintWriter out, String label, JsonNode values) {
    if (!values.isObject() || values.isEmpty()) {
      return;
    }
    StringBuilder line = new StringBuilder("  " + pad(label, 11));
    var fields = values.properties().iterator();
    while (fields.hasNext()) {
      var f = fields.next();
      line.append(f.getKey()).append('=').append(f.getValue().asText());
      if (fields.hasNext()) {
        line.append("  ");
      }
    }
    out.println(line);
  }

  private static String pad(String s, int n) {
    return s.length() >= n ? s + " " : s + " ".repeat(n - s.length());
  }
}
