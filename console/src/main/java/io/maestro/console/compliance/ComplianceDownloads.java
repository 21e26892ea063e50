package io.maestro.console.compliance;

import io.helidon.http.HeaderNames;
import io.maestro.console.web.Page;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The compliance view's downloads: the tenant's compliance bundle over the form's window ({@code
 * GET /api/compliance/bundle}) and the Conductor Compliance Pack ({@code GET
 * /api/compliance/pack}), relayed to the browser as they stream. The API decides ({@code
 * evidence.export}), records the export and refuses bad input, which the console shows as its error
 * page before anything is sent.
 */
final class ComplianceDownloads {
  private ComplianceDownloads() {}

  /**
   * The API path of the bundle for the form's window; blank fields are left for the API to refuse.
   */
  static String bundlePath(String from, String to) {
    return "/api/compliance/bundle?from="
        + URLEncoder.encode(from.strip(), StandardCharsets.UTF_8)
        + "&to="
        + URLEncoder.encode(to.strip(), StandardCharsets.UTF_8);
  }

  static void bundle(Page p) throws IOException {
    relay(p, bundlePath(p.query("from"), p.query("to")), "compliance.tar.gz");
  }

  static void pack(Page p) throws IOException {
    relay(p, "/api/compliance/pack", "compliance-pack.tar.gz");
  }

  private static void relay(Page p, String apiPath, String suffix) throws IOException {
    String tenant =
        p.me().hasTenant() ? p.me().tenant().replaceAll("[^A-Za-z0-9_-]", "_") : "platform";
    p.api()
        .download(
            apiPath,
            (headers, body) -> {
              p.res().header(HeaderNames.CONTENT_TYPE, "application/gzip");
              p.res()
                  .header(
                      HeaderNames.CONTENT_DISPOSITION,
                      "attachment; filename=\"" + tenant + "-" + suffix + "\"");
              for (String h :
                  List.of("X-Maestro-SHA256", "X-Maestro-Receipt-Id", "X-Maestro-Pack-At")) {
                headers.firstValue(h).ifPresent(v -> p.res().header(h, v));
              }
              try (OutputStream out = p.res().outputStream()) {
                body.transferTo(out);
              }
            });
  }
}
