package io.maestro.console.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.runs.RunReceipts;
import io.maestro.console.web.Page;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Receipts: a page of the tenant's log filtered by run, type and time ({@code GET /api/receipts}),
 * and one receipt with its inclusion proof checked against the latest checkpoint.
 */
public final class ReceiptPages {
  /** Receipts per page: each is parsed, checked and drawn, so a page stays short. */
  static final int PAGE = 50;

  /** The search form as given and the page it found. */
  public record Search(String run, String type, String since, List<JsonNode> rows, String next) {
    public String nextHref() {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("run", run);
      q.put("type", type);
      q.put("since", since);
      q.put("after", next);
      return ApiClient.query("/console/receipts", q);
    }
  }

  public void routing(HttpRouting.Builder r) {
    r.get("/console/receipts", Page.signedIn("receipts", this::search));
    r.get("/console/receipts/{id}", Page.signedIn("receipts", this::detail));
  }

  private void search(Page p) {
    p.prefetchBrand();
    String since = p.query("since");
    try {
      if (!since.isEmpty()) {
        Instant.parse(since);
      }
    } catch (DateTimeParseException e) {
      since = "";
    }
    Map<String, String> q = new LinkedHashMap<>();
    q.put("run", p.query("run"));
    q.put("type", p.query("type"));
    q.put("since", since);
    q.put("after", p.query("after"));
    q.put("limit", String.valueOf(PAGE));
    JsonNode page = p.api().get(ApiClient.query("/api/receipts", q));
    List<JsonNode> rows = new ArrayList<>();
    page.path("receipts").forEach(rows::add);
    String next = page.path("next_after").isNumber() ? page.path("next_after").asText() : null;
    p.render(
        "receipts.jte",
        p.chrome("Receipts"),
        "search",
        new Search(p.query("run"), p.query("type"), since, List.copyOf(rows), next));
  }

  private void detail(Page p) {
    JsonNode full = p.api().get("/api/receipts/" + ApiClient.seg(p.param("id")));
    JsonNode checkpoint = p.api().get("/api/checkpoints/latest");
    p.render(
        "receipt.jte",
        p.chrome("Receipt " + p.param("id")),
        "checked",
        RunReceipts.check(full, checkpoint));
  }
}
