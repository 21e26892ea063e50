package io.maestro.console.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.web.ActionReceipts;
import io.maestro.console.web.Chrome;
import io.maestro.console.web.Form;
import io.maestro.console.web.Grants;
import io.maestro.console.web.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tenant's schedules ({@code GET /api/schedules}) with their next tick, and one schedule with
 * its latest firings ({@code GET /api/schedules/{id}}: each tick's outcome, run and decision);
 * pause and resume where the role may ({@code POST /api/schedules/{id}/pause|resume}), each shown
 * with its receipt.
 */
public final class SchedulePages {
  private final Clock clock;

  public SchedulePages(Clock clock) {
    this.clock = clock;
  }

  /** The list's model. */
  public record ScheduleList(List<JsonNode> items, boolean canWrite) {}

  /** One schedule and its firings. */
  public record ScheduleView(JsonNode schedule, boolean canWrite) {
    public List<JsonNode> firings() {
      List<JsonNode> out = new ArrayList<>();
      schedule.path("firings").forEach(out::add);
      return out;
    }
  }

  public void routing(HttpRouting.Builder r) {
    r.get("/console/schedules", Page.signedIn("schedules", p -> list(p, null)));
    r.get("/console/schedules/{id}", Page.signedIn("schedules", p -> detail(p, null)));
    r.post(
        "/console/schedules/{id}/pause",
        Page.signedIn("schedules", p -> change(p, "pause", "schedule.paused")));
    r.post(
        "/console/schedules/{id}/resume",
        Page.signedIn("schedules", p -> change(p, "resume", "schedule.resumed")));
  }

  private void list(Page p, Chrome.Flash flash) {
    List<JsonNode> items = new ArrayList<>();
    p.api().get("/api/schedules").path("items").forEach(items::add);
    p.render(
        "schedules.jte",
        p.chrome("Schedules", flash),
        "list",
        new ScheduleList(List.copyOf(items), Grants.may(p.me(), "schedule.write")));
  }

  private void detail(Page p, Chrome.Flash flash) {
    JsonNode s = p.api().get("/api/schedules/" + ApiClient.seg(p.param("id")) + "?firings=50");
    p.render(
        "schedule.jte",
        p.chrome("Schedule " + s.path("id").asText(), flash),
        "view",
        new ScheduleView(s, Grants.may(p.me(), "schedule.write")));
  }

  /** Pauses or resumes, then shows where the form was (the list or the schedule's page). */
  private void change(Page p, String step, String receiptType) {
    Optional<Form> f = p.form();
    if (f.isEmpty()) {
      return;
    }
    String id = p.param("id");
    Instant before = clock.instant().minusSeconds(2);
    Chrome.Flash flash;
    try {
      JsonNode s = p.api().post("/api/schedules/" + ApiClient.seg(id) + "/" + step, Map.of());
      String receipt =
          ActionReceipts.newest(p.api(), receiptType, "schedule", id, before)
              .map(r -> r.path("id").asText())
              .orElse(null);
      flash =
          new Chrome.Flash(
              true,
              "Schedule "
                  + id
                  + (s.path("paused").asBoolean() ? " paused." : " resumed; next tick ")
                  + (s.path("paused").asBoolean() ? "" : s.path("nextTick").asText() + "."),
              receipt);
    } catch (ApiException e) {
      if (e.notFound()) {
        throw e;
      }
      flash = Chrome.Flash.refused(e);
    }
    if ("detail".equals(f.get().get("from"))) {
      detail(p, flash);
    } else {
      list(p, flash);
    }
  }
}
