package io.maestro.server.health;

import io.helidon.http.Status;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /healthz}: the process is alive. {@code /readyz}: every {@link ReadinessCheck} passes. */
public final class HealthService implements ApiService {
  private final List<ReadinessCheck> checks;

  public HealthService(List<ReadinessCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/healthz", "public", (req, res) -> HttpJson.ok(res, Map.of("status", "ok"))),
        Route.get(
            "/readyz",
            "public",
            (req, res) -> {
              Map<String, Object> body = new LinkedHashMap<>();
              Map<String, String> results = new LinkedHashMap<>();
              boolean ready = true;
              for (ReadinessCheck check : checks) {
                var problem = check.problem();
                results.put(check.name(), problem.orElse("ok"));
                ready &= problem.isEmpty();
              }
              body.put("status", ready ? "ready" : "not_ready");
              body.put("checks", results);
              HttpJson.send(res, ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
            }));
  }
}
