package io.maestro.server.evidence;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.evidence.compliance.CompliancePacks;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.Route;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/compliance/pack?at=}: the caller's tenant's Conductor Compliance Pack as of
 * {@code at} (default: now, to the second), made and stored by the evidence module, then streamed
 * from the tenant's partition. Its SHA-256, instant and the export's receipt are in the headers.
 */
public final class CompliancePackService implements ApiService {
  private final CompliancePacks packs;

  public CompliancePackService(CompliancePacks packs) {
    this.packs = packs;
  }

  @Override
  public List<Route> routes() {
    return List.of(Route.get("/api/compliance/pack", "evidence.export", this::pack));
  }

  private void pack(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    Instant at = packs.asOf(req.query().first("at").asOptional());
    CompliancePacks.Pack p = packs.export(g.requireTenant(), at, g.actor(), g.decision());
    res.header(HeaderNames.CONTENT_TYPE, "application/gzip");
    res.header(
        HeaderNames.CONTENT_DISPOSITION,
        "attachment; filename=\"" + g.requireTenant().value() + "-compliance-pack.tar.gz\"");
    res.header(HeaderNames.create("X-Maestro-SHA256"), p.sha256());
    res.header(HeaderNames.create("X-Maestro-Pack-At"), p.at().toString());
    res.header(HeaderNames.create("X-Maestro-Receipt-Id"), p.receiptId());
    res.header(HeaderNames.CONTENT_LENGTH, Long.toString(p.size()));
    try (OutputStream out = res.outputStream()) {
      Files.copy(p.file(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
