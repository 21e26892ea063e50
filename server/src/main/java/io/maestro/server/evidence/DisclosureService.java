package io.maestro.server.evidence;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.evidence.DisclosurePack;
import io.maestro.evidence.DisclosureRequest;
import io.maestro.evidence.Evidence;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.Route;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/runs/{id}/disclosure?region=&withhold=}: the run's disclosure pack, made and
 * stored by the evidence module, then streamed from the tenant's partition (never held in memory).
 * The pack's SHA-256 and the export's id are in the headers; the export is an {@code
 * evidence.exported} receipt and a metered {@code evidence_exported} event.
 */
public final class DisclosureService implements ApiService {
  private final Evidence evidence;

  public DisclosureService(Evidence evidence) {
    this.evidence = evidence;
  }

  @Override
  public List<Route> routes() {
    return List.of(Route.get("/api/runs/{id}/disclosure", "evidence.export", this::disclose));
  }

  private void disclose(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    String runId = req.path().pathParameters().get("id");
    Optional<String> region =
        req.query().contains("region") ? Optional.of(req.query().get("region")) : Optional.empty();
    List<String> withhold =
        req.query().contains("withhold") ? req.query().all("withhold") : List.of();
    DisclosurePack pack =
        evidence.disclose(
            new DisclosureRequest(g.requireTenant(), runId, region, withhold),
            g.actor(),
            g.decision());
    res.header(HeaderNames.CONTENT_TYPE, "application/gzip");
    res.header(
        HeaderNames.CONTENT_DISPOSITION,
        "attachment; filename=\"" + runId + "-disclosure.tar.gz\"");
    res.header(HeaderNames.create("X-Maestro-SHA256"), pack.sha256());
    res.header(HeaderNames.create("X-Maestro-Export-Id"), pack.exportId());
    res.header(HeaderNames.create("X-Maestro-Receipt-Id"), pack.receiptId());
    res.header(HeaderNames.CONTENT_LENGTH, Long.toString(pack.size()));
    try (OutputStream out = res.outputStream()) {
      Files.copy(pack.file(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
