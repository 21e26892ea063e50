package io.maestro.console.drills;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.web.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Restore drills ({@code /console/drills}, for platform operators and support): the last {@code
 * maestro drill restore}'s RTO and RPO against their targets, whether every log verified and the
 * synthetic run succeeded, and the {@code drill.completed} receipt that records it; below it the
 * earlier drills. Everything comes from {@code GET /api/drills}.
 */
public final class DrillPages {
  private static final int SHOWN = 20;

  /** The page's model: the newest drill, if any, and the ones before it. */
  public record Model(Optional<JsonNode> last, List<JsonNode> earlier, int total) {
    /** {@code 12.3 s} for a measure in seconds; {@code —} when the drill's report was erased. */
    public static String seconds(JsonNode drill, String field) {
      return drill.has(field) ? String.format("%.1f s", drill.path(field).asDouble()) : "—";
    }

    /**
     * {@code met}, {@code missed} or {@code unknown} for a drill's {@code rto_met}/{@code rpo_met}.
     */
    public static String met(JsonNode drill, String field) {
      if (!drill.has(field)) {
        return "unknown";
      }
      return drill.path(field).asBoolean() ? "met" : "missed";
    }
  }

  public void routing(HttpRouting.Builder r) {
    r.get("/console/drills", Page.signedIn("drills", this::drills));
  }

  private void drills(Page p) {
    JsonNode body = p.api().get("/api/drills?kind=restore&limit=" + SHOWN);
    List<JsonNode> items = new ArrayList<>();
    body.path("items").forEach(items::add);
    Optional<JsonNode> last = items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
    List<JsonNode> earlier =
        items.isEmpty() ? List.of() : List.copyOf(items.subList(1, items.size()));
    p.render(
        "drills.jte",
        p.chrome("Restore drills"),
        "model",
        new Model(last, earlier, body.path("total").asInt(items.size())));
  }
}
