package io.maestro.console.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.web.Chrome;
import io.maestro.console.web.Form;
import io.maestro.console.web.Grants;
import io.maestro.console.web.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incidents the rollback controller opened ({@code GET /api/incidents}) and one incident's timeline
 * — breach with its numbers, mitigations applied or refused with their decisions, recovery, closing
 * — each step linked to its receipt ({@code GET /api/incidents/{id}}); "close" where the role may
 * ({@code POST /api/incidents/{id}/close}).
 */
public final class IncidentPages {

  /** The list's model: the incidents and the status filter. */
  public record IncidentList(List<JsonNode> items, String status) {}

  /** One incident, whether the close form is drawn. */
  public record IncidentView(JsonNode incident, boolean canClose) {
    public List<JsonNode> timeline() {
      List<JsonNode> out = new ArrayList<>();
      incident.path("timeline").forEach(out::add);
      return out;
    }

    /** A step's detail as {@code key: value} lines, objects flattened one level. */
    public static List<String> detail(JsonNode step) {
      List<String> out = new ArrayList<>();
      step.path("detail")
          .properties()
          .forEach(
              e -> {
                if (e.getValue().isObject()) {
                  e.getValue()
                      .properties()
                      .forEach(
                          x -> out.add(e.getKey() + "." + x.getKey() + ": " + text(x.getValue())));
                } else {
                  out.add(e.getKey() + ": " + text(e.getValue()));
                }
              });
      return out;
    }

    private static String text(JsonNode v) {
      return v.isValueNode() ? v.asText() : v.toString();
    }
  }

  public void routing(HttpRouting.Builder r) {
    r.get("/console/incidents", Page.signedIn("incidents", this::list));
    r.get("/console/incidents/{id}", Page.signedIn("incidents", p -> detail(p, null)));
    r.post("/console/incidents/{id}/close", Page.signedIn("incidents", this::close));
  }

  private void list(Page p) {
    String status = p.query("status");
    if (!status.equals("open") && !status.equals("closed")) {
      status = "";
    }
    List<JsonNode> items = new ArrayList<>();
    p.api()
        .get(ApiClient.query("/api/incidents", Map.of("status", status, "limit", "200")))
        .path("items")
        .forEach(items::add);
    p.render(
        "incidents.jte",
        p.chrome("Incidents"),
        "list",
        new IncidentList(List.copyOf(items), status));
  }

  private void detail(Page p, Chrome.Flash flash) {
    JsonNode incident = p.api().get("/api/incidents/" + ApiClient.seg(p.param("id")));
    p.render(
        "incident.jte",
        p.chrome("Incident " + incident.path("id").asText(), flash),
        "view",
        new IncidentView(
            incident,
            Grants.may(p.me(), "incident.close")
                && "open".equals(incident.path("status").asText())));
  }

  private void close(Page p) {
    Optional<Form> f = p.form();
    if (f.isEmpty()) {
      return;
    }
    Chrome.Flash flash;
    try {
      String comment = f.get().get("comment");
      JsonNode closed =
          p.api()
              .post(
                  "/api/incidents/" + ApiClient.seg(p.param("id")) + "/close",
                  comment.isEmpty() ? Map.of() : Map.of("comment", comment));
      JsonNode last = closed.path("timeline").get(closed.path("timeline").size() - 1);
      flash =
          new Chrome.Flash(
              true, "Incident closed.", last == null ? null : last.path("receipt_id").asText(null));
    } catch (ApiException e) {
      if (e.notFound()) {
        throw e;
      }
      flash = Chrome.Flash.refused(e);
    }
    detail(p, flash);
  }
}
