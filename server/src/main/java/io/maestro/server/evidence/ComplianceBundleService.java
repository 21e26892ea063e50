package io.maestro.server.evidence;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.evidence.bundle.BundleWindow;
import io.maestro.evidence.bundle.ComplianceBundles;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.Route;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/**
 * {@code GET /api/compliance/bundle?from=&to=}: the caller's tenant's compliance bundle over the
 * window, made and stored by the evidence module, then streamed from the tenant's partition. Its
 * SHA-256 and the export's receipt are in the headers.
 */
public final class ComplianceBundleService implements ApiService {
  private final ComplianceBundles bundles;

  public ComplianceBundleService(ComplianceBundles bundles) {
    this.bundles = bundles;
  }

  @Override
  public List<Route> routes() {
    return List.of(Route.get("/api/compliance/bundle", "evidence.export", this::bundle));
  }

  private void bundle(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    BundleWindow window =
        BundleWindow.parse(
            req.query().first("from").asOptional().orElse(null),
            req.query().first("to").asOptional().orElse(null));
    ComplianceBundles.Bundle b = bundles.export(g.requireTenant(), window, g.actor(), g.decision());
    res.header(HeaderNames.CONTENT_TYPE, "application/gzip");
    res.header(
        HeaderNames.CONTENT_DISPOSITION,
        "attachment; filename=\"" + g.requireTenant().value() + "-compliance.tar.gz\"");
    res.header(HeaderNames.create("X-Maestro-SHA256"), b.sha256());
    res.header(HeaderNames.create("X-Maestro-Receipt-Id"), b.receiptId());
    res.header(HeaderNames.CONTENT_LENGTH, Long.toString(b.size()));
    try (OutputStream out = res.outputStream()) {
      Files.copy(b.file(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
