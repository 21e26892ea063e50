package io.maestro.console.usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.web.Chrome;
import io.maestro.console.web.Page;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Usage and cost of the signed-in user's tenant, from the FinOps API: totals, usage by workflow and
 * environment, cost by day as a chart (uPlot, drawn by {@code usage-chart.js} from the page's data
 * attributes) and as a table, and the budget with what is spent and what remains ({@code GET
 * /api/tenants/{id}/usage}, {@code GET /api/tenants/{id}/budget}).
 */
public final class UsagePages {
  static final int DEFAULT_DAYS = 30;

  private final Clock clock;

  public UsagePages(Clock clock) {
    this.clock = clock;
  }

  public void routing(HttpRouting.Builder r) {
    r.get("/console/usage", Page.signedIn("usage", this::usage));
  }

  private void usage(Page p) {
    if (!p.me().hasTenant()) {
      p.render(
          io.helidon.http.Status.NOT_FOUND_404,
          "error.jte",
          Map.of(
              "title", "Not found",
              "status", 404,
              "message", "Usage is shown to a tenant's users; sign in to a tenant.",
              "code", "not_found"));
      return;
    }
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate to = date(p.query("to")).orElse(today);
    LocalDate from = date(p.query("from")).orElse(to.minusDays(DEFAULT_DAYS - 1L));
    Chrome.Flash flash = null;
    if (from.isAfter(to)) {
      flash =
          new Chrome.Flash(false, "The window's start is after its end; showing one day.", null);
      from = to;
    }
    String base = "/api/tenants/" + ApiClient.seg(p.me().tenant()) + "/usage";
    Map<String, String> window = new LinkedHashMap<>();
    window.put("from", from.atStartOfDay(ZoneOffset.UTC).toInstant().toString());
    window.put("to", to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
    Map<String, String> byGroup = new LinkedHashMap<>(window);
    byGroup.put("groupBy", "workflow,env");
    Map<String, String> byDay = new LinkedHashMap<>(window);
    byDay.put("interval", "day");
    JsonNode grouped;
    JsonNode daily;
    try {
      grouped = p.api().get(ApiClient.query(base, byGroup));
      daily = p.api().get(ApiClient.query(base, byDay));
    } catch (ApiException e) {
      if (e.status() != 422) {
        throw e;
      }
      // A window the API refuses (more than 400 days): say so on the default window's page.
      flash = Chrome.Flash.refused(e);
      to = today;
      from = today.minusDays(DEFAULT_DAYS - 1L);
      window.put("from", from.atStartOfDay(ZoneOffset.UTC).toInstant().toString());
      window.put("to", to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
      byGroup.putAll(window);
      byDay.putAll(window);
      grouped = p.api().get(ApiClient.query(base, byGroup));
      daily = p.api().get(ApiClient.query(base, byDay));
    }
    JsonNode budget = null;
    try {
      budget = p.api().get("/api/tenants/" + ApiClient.seg(p.me().tenant()) + "/budget");
    } catch (ApiException e) {
      // A role that may read usage but not the budget sees usage only.
    }
    p.render(
        "usage.jte",
        p.chrome("Usage and cost", flash),
        "usage",
        UsageView.of(from, to, grouped, daily, budget));
  }

  private static Optional<LocalDate> date(String text) {
    if (text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
