package io.maestro.server.health;

import io.helidon.http.Status;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /healthz}: the process is alive. {@code /readyz}: {@code ready} (200) when every {@link
 * ReadinessCheck} passes, {@code degraded} (200) when only non-critical checks fail, {@code
 * not_ready} (503) when a critical one fails; {@code checks} says {@code ok} or why, per check.
 */
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
              boolean degraded = false;
              for (ReadinessCheck check : checks) {
                var problem = check.problem();
                results.put(check.name(), problem.orElse("ok"));
                if (problem.isPresent()) {
                  ready &= !check.critical();
                  degraded = true;
                }
              }
              body.put("status", !ready ? "not_ready" : degraded ? "degraded" : "ready");
              body.put("checks", results);
              HttpJson.send(res, ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
            }));
  }
}
