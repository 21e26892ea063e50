package io.maestro.console.runs;

import io.helidon.http.HeaderNames;
import io.maestro.console.api.ApiClient;
import io.maestro.console.web.Page;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;

/**
 * "Download disclosure pack" on a run's page: relays {@code GET /api/runs/{id}/disclosure} with the
 * form's region and withheld paths (one per line) and streams the pack to the browser. The API
 * decides (action {@code evidence.export}), records the export and refuses bad input, which the
 * console shows as its error page before anything is sent.
 */
final class Disclosure {
  private Disclosure() {}

  /** The API path for the form's fields: blank region left out, one withhold per non-blank line. */
  static String apiPath(String runId, String region, String withhold) {
    StringJoiner q = new StringJoiner("&");
    if (!region.isBlank()) {
      q.add("region=" + URLEncoder.encode(region.strip(), StandardCharsets.UTF_8));
    }
    for (String line : withhold.split("\\R")) {
      if (!line.isBlank()) {
        q.add("withhold=" + URLEncoder.encode(line.strip(), StandardCharsets.UTF_8));
      }
    }
    String path = "/api/runs/" + ApiClient.seg(runId) + "/disclosure";
    return q.length() == 0 ? path : path + "?" + q;
  }

  static void download(Page p) throws IOException {
    String runId = p.param("id");
    p.api()
        .download(
            apiPath(runId, p.query("region"), p.query("withhold")),
            (headers, body) -> {
              p.res().header(HeaderNames.CONTENT_TYPE, "application/gzip");
              p.res()
                  .header(
                      HeaderNames.CONTENT_DISPOSITION,
                      "attachment; filename=\""
                          + runId.replaceAll("[^A-Za-z0-9_-]", "_")
                          + "-disclosure.tar.gz\"");
              for (String h : List.of("X-Maestro-SHA256", "X-Maestro-Export-Id")) {
                headers.firstValue(h).ifPresent(v -> p.res().header(h, v));
              }
              try (OutputStream out = p.res().outputStream()) {
                body.transferTo(out);
              }
            });
  }
}
