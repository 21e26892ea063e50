package io.maestro.console.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.runs.RunReceipts;
import io.maestro.console.web.Page;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Receipts: a page of the tenant's log filtered by run, type, time, digest, actor and deny reason
 * ({@code GET /api/receipts}), one receipt with its inclusion proof checked against the latest
 * checkpoint, and the tenant's receipt export ({@code GET /api/receipts/export}, the file {@code
 * maestro receipts export} writes and {@code maestro verify} checks offline) for the whole log or
 * the range the current page covers.
 */
public final class ReceiptPages {
  /** Receipts per page: each is parsed, checked and drawn, so a page stays short. */
  static final int PAGE = 50;

  static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  static final Pattern REASON = Pattern.compile("[a-z0-9_.-]{1,200}");

  /**
   * The search form as given and the page it found ({@code error}: why a field was refused; {@code
   * mayExport}: whether the role may download the export, so the buttons are drawn).
   */
  public record Search(
      Map<String, String> fields,
      List<JsonNode> rows,
      String next,
      String error,
      boolean mayExport) {
    public String field(String name) {
      return fields.getOrDefault(name, "");
    }

    public String nextHref() {
      Map<String, String> q = new LinkedHashMap<>(fields);
      q.put("after", next);
      return ApiClient.query("/console/receipts", q);
    }

    /** The export of the seq range this page shows, or the whole log when it shows nothing. */
    public String exportHref() {
      if (rows.isEmpty()) {
        return "/console/receipts/export";
      }
      long from = rows.get(0).path("seq").asLong();
      long to = rows.get(rows.size() - 1).path("seq").asLong();
      return "/console/receipts/export?from=" + from + "&to=" + to;
    }
  }

  public void routing(HttpRouting.Builder r) {
    r.get("/console/receipts", Page.signedIn("receipts", this::search));
    r.get("/console/receipts/export", Page.signedIn("receipts", ReceiptPages::export));
    r.get("/console/receipts/{id}", Page.signedIn("receipts", this::detail));
  }

  private void search(Page p) {
    p.prefetchBrand();
    Map<String, String> fields = new LinkedHashMap<>();
    for (String name : List.of("run", "type", "since", "digest", "actor", "deny_reason")) {
      fields.put(name, p.query(name).strip());
    }
    String error = invalid(fields);
    if (error != null) {
      // Refused at the edge with the field named, before the API is asked.
      p.render(
          Status.create(422),
          "receipts.jte",
          Map.of(
              "chrome",
              p.chrome("Receipts"),
              "search",
              new Search(fields, List.of(), null, error, false)));
      return;
    }
    Map<String, String> q = new LinkedHashMap<>(fields);
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
        new Search(
            fields,
            List.copyOf(rows),
            next,
            null,
            io.maestro.console.web.Grants.may(p.me(), "receipt.export")));
  }

  /** Why a search field cannot be searched for, or null when every field is usable. */
  static String invalid(Map<String, String> f) {
    String digest = f.getOrDefault("digest", "");
    if (!digest.isEmpty() && !DIGEST.matcher(digest).matches()) {
      return "Digest: a receipt digest is sha256: followed by 64 lowercase hex digits"
          + " (as maestro receipts show prints it).";
    }
    String reason = f.getOrDefault("deny_reason", "");
    if (!reason.isEmpty() && !REASON.matcher(reason).matches()) {
      return "Deny reason: a reason code such as role_not_permitted (a-z, 0-9, '_', '.', '-').";
    }
    if (f.getOrDefault("actor", "").length() > 400) {
      return "Actor: a subject has at most 400 characters.";
    }
    String since = f.getOrDefault("since", "");
    if (!since.isEmpty()) {
      try {
        Instant.parse(since);
      } catch (DateTimeParseException e) {
        return "Since: a time such as 2026-12-01T00:00:00Z.";
      }
    }
    String run = f.getOrDefault("run", "");
    if (run.contains("/") || run.length() > 200) {
      return "Run: a run id has at most 200 characters and no '/'.";
    }
    return null;
  }

  /**
   * The tenant's receipt export, relayed as it streams: the whole log, or {@code from..to} when the
   * page asked for a range. The API decides ({@code receipt.export}) and refuses a bad range, which
   * shows as the error page before anything is sent.
   */
  private static void export(Page p) throws IOException {
    String from = p.query("from");
    String to = p.query("to");
    StringBuilder path = new StringBuilder("/api/receipts/export");
    if (from.matches("[0-9]{1,18}") && to.matches("[0-9]{1,18}")) {
      path.append("?from=").append(from).append("&to=").append(to);
    } else if (!from.isEmpty() || !to.isEmpty()) {
      p.render(
          Status.create(422),
          "error.jte",
          Map.of(
              "title", "Refused",
              "status", 422,
              "message", "An export range is two receipt numbers, from and to.",
              "code", "validation_failed"));
      return;
    }
    String tenant = p.me().hasTenant() ? p.me().tenant().replaceAll("[^A-Za-z0-9_-]", "_") : "log";
    String name = tenant + "-receipts" + (path.indexOf("?") < 0 ? "" : "-" + from + "-" + to);
    p.api()
        .download(
            path.toString(),
            (headers, body) -> {
              p.res().header(HeaderNames.CONTENT_TYPE, "application/x-ndjson");
              p.res()
                  .header(
                      HeaderNames.CONTENT_DISPOSITION,
                      "attachment; filename=\"" + name + ".ndjson\"");
              try (OutputStream out = p.res().outputStream()) {
                body.transferTo(out);
              }
            });
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
