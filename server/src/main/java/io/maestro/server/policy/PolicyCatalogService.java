package io.maestro.server.policy;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.policy.ActiveBundle;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.PolicyCatalog;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy catalog: {@code GET /api/policy-packs} (every pack of the active bundle with its
 * metadata, the bundle revision and signed content digest), {@code GET /api/policy-packs/{id}} (one
 * pack with its reasons, examples and generated page) and {@code GET /api/policy-profiles} (the
 * profiles with their versions and checksums). Reading it is the {@code policy.read} action.
 */
public final class PolicyCatalogService implements ApiService {
  private final DecisionPoint pdp;

  /** The catalog of the bundle that was active when it was built; rebuilt after a reload. */
  private final AtomicReference<PolicyCatalog> cached = new AtomicReference<>();

  private final AtomicReference<ActiveBundle> cachedFor = new AtomicReference<>();

  public PolicyCatalogService(DecisionPoint pdp) {
    this.pdp = Objects.requireNonNull(pdp);
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/policy-packs", "policy.read", this::packs),
        Route.get("/api/policy-packs/{id}", "policy.read", this::pack),
        Route.get("/api/policy-profiles", "policy.read", this::profiles));
  }

  private void packs(ServerRequest req, ServerResponse res) {
    HttpJson.ok(res, catalog().packsJson());
  }

  private void pack(ServerRequest req, ServerResponse res) {
    HttpJson.ok(res, catalog().packJson(req.path().pathParameters().get("id")));
  }

  private void profiles(ServerRequest req, ServerResponse res) {
    HttpJson.ok(res, catalog().profilesJson());
  }

  PolicyCatalog catalog() {
    ActiveBundle active = pdp.active();
    PolicyCatalog c = cached.get();
    if (c == null || cachedFor.get() != active) {
      c = new PolicyCatalog(active);
      cached.set(c);
      cachedFor.set(active);
    }
    return c;
  }
}
