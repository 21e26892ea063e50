package io.maestro.server.sku;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SKU's gates on the routes of features that exist: on Hosted SaaS Standard the governance
 * controls and billing webhooks are refused by policy ({@code feature_not_in_sku}, with a decision
 * id); on Pro they are served.
 */
class SkuGatesApiTest {
  @TempDir Path dir;

  @Test
  void standard_refusesGovernanceAndWebhookRoutesByPolicy() {
    try (MaestroServer server = start("saas-standard")) {
      Api api = new Api(server.port());
      String admin = api.token("acme", "ada@acme", "tenant_admin");

      Api.Reply ramp = api.call("PUT", "/api/ramps/hello", admin, Map.of("percent", 10));
      Api.Reply freezes = api.call("GET", "/api/freezes", admin, null);
      Api.Reply hooks = api.call("GET", "/api/billing/webhooks", admin, null);

      for (Api.Reply r : new Api.Reply[] {ramp, freezes, hooks}) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(403);
        assertThat(r.reasonCodes()).containsExactly("feature_not_in_sku");
        assertThat(r.body().path("decision_id").asText()).isNotEmpty();
      }
      assertThat(api.call("GET", "/api/runs", admin, null).status()).isEqualTo(200);
    }
  }

  @Test
  void pro_servesTheGovernanceControls() {
    try (MaestroServer server = start("saas-pro")) {
      Api api = new Api(server.port());
      String admin = api.token("acme", "ada@acme", "tenant_admin");

      Api.Reply freezes = api.call("GET", "/api/freezes", admin, null);

      assertThat(freezes.status()).as(freezes.body().toString()).isEqualTo(200);
    }
  }

  private MaestroServer start(String sku) {
    return MaestroServer.start(
        TestServers.config(dir.resolve(sku), Map.of("edition", "saas", "sku", sku)),
        ScopeGuard.ENFORCING);
  }
}
