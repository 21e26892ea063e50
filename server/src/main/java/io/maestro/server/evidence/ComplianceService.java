package io.maestro.server.evidence;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.evidence.EvidenceErrors;
import io.maestro.evidence.controls.ControlCatalog;
import io.maestro.evidence.controls.ControlStatus;
import io.maestro.evidence.controls.OscalExport;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/compliance/controls[/{id}]}: the control catalog with each control's status
 * computed from the tenant's live receipts ({@code met}, {@code partial}, {@code no_evidence}) and
 * links to the receipts behind it; {@code GET /api/compliance/oscal/{model}}: the same as OSCAL
 * JSON.
 */
public final class ComplianceService implements ApiService {
  private final ControlCatalog catalog;
  private final ControlStatus status;
  private final Clock clock;

  public ComplianceService(ControlCatalog catalog, ControlStatus status, Clock clock) {
    this.catalog = catalog;
    this.status = status;
    this.clock = clock;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/compliance/controls", "compliance.read", this::list),
        Route.get("/api/compliance/controls/{id}", "compliance.read", this::one),
        Route.get("/api/compliance/oscal/{model}", "compliance.read", this::oscal));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    HttpJson.ok(res, status.evaluate(catalog, catalog.controls(), g.requireTenant(), since(req)));
  }

  private void one(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    String id = req.path().pathParameters().get("id");
    ControlCatalog.Control c =
        catalog
            .find(id)
            .orElseThrow(
                () -> MaestroException.of(EvidenceErrors.CONTROL_NOT_FOUND, "no control " + id));
    HttpJson.ok(
        res,
        status
            .evaluate(catalog, List.of(c), g.requireTenant(), since(req))
            .path("controls")
            .get(0));
  }

  /** The catalog with live statuses as an OSCAL component definition or assessment results. */
  private void oscal(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    String model = req.path().pathParameters().get("model");
    if (!model.equals("component-definition") && !model.equals("assessment-results")) {
      throw MaestroException.of(
          EvidenceErrors.OSCAL_MODEL_UNKNOWN,
          "no OSCAL model " + model + "; use component-definition or assessment-results");
    }
    var live = status.evaluate(catalog, catalog.controls(), g.requireTenant(), since(req));
    Instant now = clock.instant();
    HttpJson.ok(
        res,
        model.equals("component-definition")
            ? OscalExport.componentDefinition(live, now)
            : OscalExport.assessmentResults(live, now));
  }

  private static Optional<Instant> since(ServerRequest req) {
    if (!req.query().contains("since")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(req.query().get("since")));
    } catch (java.time.format.DateTimeParseException e) {
      throw MaestroException.of(
          CoreErrors.VALIDATION_FAILED,
          "'since' is not an RFC 3339 time such as 2026-12-01T00:00:00Z");
    }
  }
}
