package io.maestro.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * How the CLI words a policy's refusal: a problem that carries the decision's {@code reasons} is
 * one line that starts with their codes ({@code refused: ramp_excluded — <detail>
 * (policy_denied)}), so the reason shows without {@code --output json}; {@link #reasonLines} lists
 * every reason with its message, for commands whose refusals name several checks.
 */
public final class Refusals {
  private Refusals() {}

  /** {@code "refused: <codes> — "} when {@code problem} has reasons, else empty. */
  public static String prefix(JsonNode problem) {
    List<String> codes = new ArrayList<>();
    problem.path("reasons").forEach(r -> codes.add(r.path("code").asText()));
    codes.removeIf(String::isEmpty);
    return codes.isEmpty() ? "" : "refused: " + String.join(", ", codes) + " — ";
  }

  /** Each reason on its own line, {@code "\n code: message"}; empty when there are none. */
  public static String reasonLines(JsonNode problem) {
    StringBuilder why = new StringBuilder();
    problem
        .path("reasons")
        .forEach(
            x ->
                why.append("\n  ")
                    .append(x.path("code").asText())
                    .append(": ")
                    .append(x.path("message").asText()));
    return why.toString();
  }
}
