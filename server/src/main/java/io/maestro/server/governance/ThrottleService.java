package io.maestro.server.governance;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.governance.ControlJson;
import io.maestro.governance.Throttle;
import io.maestro.governance.Throttles;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.util.List;

/**
 * Throttles over HTTP: the tenant's list, and lifting one by hand. The rollback controller applies
 * them as a mitigation and lifts them on recovery; a person may lift one sooner.
 */
public final class ThrottleService implements ApiService {
  private final Throttles throttles;

  public ThrottleService(Throttles throttles) {
    this.throttles = throttles;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/throttles", "throttle.read", this::list),
        Route.delete("/api/throttles/{id}", "throttle.release", this::release));
  }

  private void list(ServerRequest req, ServerResponse res) {
    HttpJson.okItems(res, throttles.list(Governed.of(req).requireTenant()), ControlJson::throttle);
  }

  private void release(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    Throttle t =
        throttles.release(
            g.actor(), g.decision(), g.requireTenant(), req.path().pathParameters().get("id"));
    HttpJson.ok(res, ControlJson.throttle(t));
  }
}
