package io.maestro.server.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.QueryParams;
import io.maestro.server.http.Route;
import io.maestro.tenancy.TenancyErrors;
import io.maestro.tenancy.brand.BrandPack;
import io.maestro.tenancy.brand.BrandPacks;
import java.util.List;
import java.util.Map;

/**
 * White-label brand packs over HTTP: {@code PUT/GET /api/brand-packs/{id}} (platform), a tenant's
 * pack ({@code PUT/GET /api/tenants/{id}/brand}). A pack is validated when read from the body (422
 * with a {@code brand_*} code); its text colours' contrast ratios are then put before the policy
 * ({@code input.request.brand.contrast}), which refuses anything below WCAG AA with {@code
 * brand_contrast_insufficient}.
 */
public final class BrandService implements ApiService {
  private final BrandPacks packs;

  public BrandService(BrandPacks packs) {
    this.packs = packs;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.put("/api/brand-packs/{id}", "brand.manage", this::put),
        Route.get("/api/brand-packs/{id}", "brand.manage", this::get),
        Route.put("/api/tenants/{id}/brand", "brand.assign", this::assign),
        Route.get("/api/tenants/{id}/brand", "brand.read", this::ofTenant));
  }

  private void put(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    String id = req.path().pathParameters().get("id");
    BrandPack pack = BrandPack.parse(id, HttpJson.read(req));
    var contrast =
        pack.contrast().stream()
            .map(p -> Map.of("text", p.text(), "background", p.background(), "ratio", p.ratio()))
            .toList();
    var decision =
        PolicyRecheck.of(req).decide(g.input().withRequest("brand", Map.of("contrast", contrast)));
    BrandPacks.Saved saved = packs.put(g.actor(), decision, pack);
    ObjectNode out = json(pack);
    out.put("version", saved.version());
    saved.receiptId().ifPresentOrElse(r -> out.put("receipt", r), () -> out.putNull("receipt"));
    HttpJson.ok(res, out);
  }

  private void get(ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().get("id");
    BrandPack pack =
        packs
            .get(id)
            .orElseThrow(
                () ->
                    MaestroException.of(TenancyErrors.BRAND_PACK_NOT_FOUND, "no brand pack " + id));
    HttpJson.ok(res, json(pack));
  }

  private void assign(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = TenancyService.pathTenant(req);
    JsonNode body = HttpJson.read(req);
    String pack =
        TenancyService.text(body, "pack")
            .orElseThrow(
                () -> MaestroException.of(TenancyErrors.BRAND_PACK_INVALID, "pack is required"));
    var receipt = packs.assign(g.actor(), g.decision(), g.scope(), tenant, pack);
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    out.put("tenant", tenant.value());
    out.put("pack", pack);
    receipt.ifPresentOrElse(r -> out.put("receipt", r), () -> out.putNull("receipt"));
    HttpJson.ok(res, out);
  }

  /**
   * The tenant's pack; without one, {@code brand_pack_not_found} (404) — or, with {@code
   * optional=true}, 200 {@code {"tenant": …, "assigned": false}}: the console reads the brand on
   * every page, and an expected absence is not a refusal to receipt as a "not found" attempt.
   */
  private void ofTenant(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = TenancyService.pathTenant(req);
    boolean optional = QueryParams.bool(req, "optional", false);
    var pack = packs.ofTenant(g.scope(), tenant);
    if (pack.isEmpty() && optional) {
      ObjectNode none = HttpJson.MAPPER.createObjectNode();
      none.put("tenant", tenant.value());
      none.put("assigned", false);
      HttpJson.ok(res, none);
      return;
    }
    HttpJson.ok(
        res,
        json(
            pack.orElseThrow(
                () ->
                    MaestroException.of(
                        TenancyErrors.BRAND_PACK_NOT_FOUND,
                        "tenant " + tenant + " has no brand pack"))));
  }

  /** The pack, its stylesheet for the console and its contrast ratios. */
  private static ObjectNode json(BrandPack pack) {
    ObjectNode out = pack.toJson();
    out.put("css", pack.css());
    var arr = out.putArray("contrast");
    for (BrandPack.Pair p : pack.contrast()) {
      arr.addObject()
          .put("text", p.text())
          .put("background", p.background())
          .put("ratio", p.ratio());
    }
    return out;
  }
}
