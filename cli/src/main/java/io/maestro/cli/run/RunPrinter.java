package io.maestro.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** How runs, steps and log lines look in a terminal. */
final class RunPrinter {
  private RunPrinter() {}

  static void logLine(PrintWriter out, JsonNode l) {
    String at = l.path("at").asText("");
    String time = at.length() >= 19 ? at.substring(11, 19) : at;
    String step = l.path("step").asText("");
    String stream = l.path("stream").asText("");
    String prefix = step.isEmpty() ? "run" : step;
    String tag = "log".equals(stream) ? "" : stream.equals("engine") ? "· " : stream + ": ";
    out.println(time + "  " + pad(prefix, 14) + " " + tag + l.path("message").asText());
    out.flush();
  }

  static void summary(PrintWriter out, JsonNode run) {
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

  private static String pad(String s, int n) {
    return s.length() >= n ? s + " " : s + " ".repeat(n - s.length());
  }
}
