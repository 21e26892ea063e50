package io.maestro.server.evidence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.core.background.BackgroundLoop;
import io.maestro.evidence.residency.Finding;
import io.maestro.evidence.residency.ResidencyAuditor;
import io.maestro.evidence.residency.ResidencyReport;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code /api/residency/audit}: the tenant's residency findings ({@code GET}) and an audit now
 * ({@code POST}), and the scheduled audit of every tenant at the configured interval (the first one
 * interval after start).
 */
public final class ResidencyService implements ApiService, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ResidencyService.class.getName());

  private final ResidencyAuditor auditor;
  private final Optional<BackgroundLoop> runner;

  /**
   * @param every how often every tenant is audited in the background; zero: never
   */
  public ResidencyService(ResidencyAuditor auditor, Duration every) {
    this.auditor = auditor;
    this.runner =
        every.isZero()
            ? Optional.empty()
            : Optional.of(BackgroundLoop.afterEach("maestro-residency", every, this::auditAll));
  }

  private void auditAll() {
    try {
      for (ResidencyReport r : auditor.auditAll()) {
        if (r.fresh() > 0) {
          LOG.warning(
              "residency audit of "
                  + r.tenant().value()
                  + ": "
                  + r.fresh()
                  + " new violation(s), "
                  + r.violations().size()
                  + " open");
        }
      }
    } catch (RuntimeException e) {
      LOG.warning("the residency audit failed: " + e.getMessage());
    }
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/residency/audit", "residency.read", this::findings),
        Route.post("/api/residency/audit", "residency.audit", this::audit));
  }

  /** The findings of earlier audits, open and resolved, without auditing. */
  private void findings(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("tenant", tenant.value());
    ArrayNode open = out.putArray("violations");
    ArrayNode resolved = out.putArray("resolved");
    for (Finding f : auditor.findings(tenant)) {
      (f.resolvedAt().isPresent() ? resolved : open).add(json(f));
    }
    HttpJson.ok(res, out);
  }

  /** Audits the tenant now (what the background job does every interval). */
  private void audit(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    ResidencyReport r = auditor.audit(g.requireTenant(), g.actor(), Optional.of(g.decision()));
    HttpJson.ok(res, json(r));
  }

  static ObjectNode json(ResidencyReport r) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("tenant", r.tenant().value());
    out.put("audited_at", r.auditedAt().toString());
    r.allowed().forEach(out.putArray("allowed_regions")::add);
    ObjectNode scanned = out.putObject("scanned");
    scanned.put("runs", r.runs());
    scanned.put("exports", r.exports());
    scanned.put("receipts", r.receipts());
    out.put("new", r.fresh());
    r.violations().forEach(f -> out.withArray("violations").add(json(f)));
    out.withArray("violations");
    r.resolved().forEach(f -> out.withArray("resolved").add(json(f)));
    out.withArray("resolved");
    return out;
  }

  static ObjectNode json(Finding f) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("kind", f.kind());
    o.put("ref", f.ref());
    o.put("region", f.region());
    o.put("subject", f.subject());
    o.put("detail", f.detail());
    o.put("receipt", f.receiptId());
    o.put("first_seen", f.firstSeen().toString());
    o.put("last_seen", f.lastSeen().toString());
    f.resolvedAt().ifPresent(t -> o.put("resolved_at", t.toString()));
    o.put("new", f.fresh());
    return o;
  }

  @Override
  public void close() {
    runner.ifPresent(BackgroundLoop::close);
  }
}
