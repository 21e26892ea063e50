package io.maestro.server.governance;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.governance.ControlErrors;
import io.maestro.governance.ControlJson;
import io.maestro.governance.Incident;
import io.maestro.governance.Incidents;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.QueryParams;
import io.maestro.server.http.Route;
import java.util.List;
import java.util.Optional;

/**
 * Incidents over HTTP: the list ({@code ?status=open|closed}), one incident with its timeline, and
 * closing one with a comment. The rollback controller opens them; people read and close them.
 */
public final class IncidentService implements ApiService {
  private final Incidents incidents;

  public IncidentService(Incidents incidents) {
    this.incidents = incidents;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/incidents", "incident.read", this::list),
        Route.get("/api/incidents/{id}", "incident.read", this::get),
        Route.post("/api/incidents/{id}/close", "incident.close", this::close));
  }

  private void list(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    Optional<String> status = QueryParams.text(req, "status");
    if (status.isPresent()
        && !status.get().equals(Incident.OPEN)
        && !status.get().equals(Incident.CLOSED)) {
      throw MaestroException.of(
          CoreErrors.VALIDATION_FAILED, "status must be open or closed, not " + status.get());
    }
    int limit = QueryParams.intValue(req, "limit", 50, 1, 500);
    HttpJson.okItems(
        res, incidents.list(tenant, status, limit), i -> ControlJson.incident(i, false));
  }

  private void get(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    String id = req.path().pathParameters().get("id");
    Incident i =
        incidents
            .get(tenant, id)
            .orElseThrow(
                () -> MaestroException.of(ControlErrors.INCIDENT_NOT_FOUND, "no incident " + id));
    HttpJson.ok(res, ControlJson.incident(i, true));
  }

  /** Body (optional): {@code {"comment": "rolled back, fix in 2.1"}}. */
  private void close(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    Optional<String> comment =
        req.content().hasEntity()
            ? HttpJson.optionalText(HttpJson.read(req), "comment")
            : Optional.empty();
    Incident i =
        incidents.close(
            g.actor(),
            g.decision(),
            g.requireTenant(),
            req.path().pathParameters().get("id"),
            comment);
    HttpJson.ok(res, ControlJson.incident(i, true));
  }
}
