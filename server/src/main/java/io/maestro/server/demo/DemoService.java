package io.maestro.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.policy.PolicyInput;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.tenancy.NewTenant;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantJson;
import io.maestro.tenancy.Tenants;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/demo/tenants}: provisions a demo tenant (profile {@code partner-demo}) under its
 * own policy action, {@code demo.create}, so an installation can let an operator make demo tenants
 * on a server that is not in dev mode (ADR 0047). The tenant's {@code tenant.created} receipt
 * carries the {@code demo.create} decision; a caller without the grant is refused by the gate like
 * any request ({@code policy_denied} with the reasons, a {@code policy.denied} receipt). The rest
 * of the demo ({@link DemoTenant}) goes through the ordinary API with the operator's token; outside
 * dev mode the policy is first asked whether that token may act in the tenant (ADR 0053), so a
 * refusal comes before the tenant exists.
 */
public final class DemoService implements ApiService {
  /**
   * What the demo does inside the new tenant with the operator's own token outside dev mode ({@link
   * DemoTenant}), with the resource each is about.
   */
  static final List<Map.Entry<String, String>> INSIDE =
      List.of(
          Map.entry("workflow.author", "workflow"),
          Map.entry("workflow.publish", "workflow"),
          Map.entry("workflow.run", "run"),
          Map.entry("run.read", "run"),
          Map.entry("tenant.update", "tenant"),
          Map.entry("receipt.export", "receipt"));

  private final Tenants tenants;
  private final boolean operatorActsInside;

  /**
   * @param operatorActsInside true on a server without the dev issuer, where the demo acts in the
   *     tenant with the operator's token: the policy is asked first whether it may
   */
  public DemoService(Tenants tenants, boolean operatorActsInside) {
    this.tenants = tenants;
    this.operatorActsInside = operatorActsInside;
  }

  @Override
  public List<Route> routes() {
    return List.of(Route.post("/api/demo/tenants", "demo.create", this::create));
  }

  private void create(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode b = HttpJson.read(req);
    String id = HttpJson.optionalText(b, "id").orElseGet(DemoTenant::freshId);
    if (!TenantId.isValid(id)) {
      throw MaestroException.of(
          CoreErrors.VALIDATION_FAILED,
          "id must be 2-63 lower-case letters, digits and dashes, starting with a letter");
    }
    if (operatorActsInside) {
      mayActInside(req, g, id);
    }
    NewTenant nt =
        new NewTenant(
            TenantId.of(id),
            Optional.of("Demo " + id),
            Optional.empty(),
            Optional.of(DemoTenant.PROFILE),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    Tenant t = tenants.provisionDemo(g.actor(), nt, g.decision());
    res.header(HeaderNames.LOCATION, "/api/tenants/" + t.id().value());
    var out = TenantJson.full(t);
    out.put("decision_id", g.decision().id());
    HttpJson.send(res, Status.CREATED_201, out);
  }

  /**
   * Asks the policy, before anything is provisioned, whether the operator may do what the demo does
   * inside the new tenant (a {@code partner-demo} tenant naming it as its operator): a refusal is
   * the request's answer ({@code policy_denied} with the reasons, a {@code policy.denied} receipt)
   * and leaves nothing behind, instead of a tenant the demo stopped in.
   */
  private static void mayActInside(ServerRequest req, Governed g, String id) {
    PolicyRecheck recheck = PolicyRecheck.of(req);
    for (Map.Entry<String, String> step : INSIDE) {
      recheck.decide(
          PolicyInput.builder(step.getKey(), g.actor())
              .tenant(id, DemoTenant.PROFILE)
              .tenantStatus("active")
              .demoOperator(g.actor().subject())
              .resource(step.getValue(), null, id, null)
              .build());
    }
  }
}
