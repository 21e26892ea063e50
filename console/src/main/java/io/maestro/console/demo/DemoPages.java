package io.maestro.console.demo;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.web.Chrome;
import io.maestro.console.web.Form;
import io.maestro.console.web.Page;
import io.maestro.server.demo.DemoTenant;
import java.util.Map;
import java.util.Optional;

/**
 * "Create demo tenant": runs {@link DemoTenant} against this server's own API with the user's token
 * (the policy decides {@code demo.create}; the button is drawn for the roles the rbac pack grants
 * it) and shows what it made, with a way into the new tenant. On a dev-mode server the demo acts in
 * the new tenant as its members (dev issuer); elsewhere as the signed-in operator.
 */
public final class DemoPages {
  public void routing(HttpRouting.Builder r) {
    r.post("/console/demo", Page.signedIn("tenants", this::create));
  }

  private void create(Page p) {
    Optional<Form> f = p.form();
    if (f.isEmpty()) {
      return;
    }
    DemoTenant.Result result;
    try {
      // The user's own token provisions the tenant: the policy decides whether they may create
      // one (and records a refusal).
      result =
          new DemoTenant(ApiClient.baseOf(p.req()))
              .create(DemoTenant.freshId(), Optional.of(p.token()));
    } catch (DemoTenant.DemoFailed e) {
      int status = e.status() >= 400 && e.status() < 500 ? e.status() : 502;
      p.render(
          Status.create(status),
          "error.jte",
          Map.of(
              "title",
              status == 502 ? "Demo failed" : "Refused",
              "status",
              status,
              "message",
              "The demo tenant could not be created: "
                  + e.getMessage()
                  + (e.decisionId().isEmpty() ? "" : " (decision " + e.decisionId() + ")"),
              "code",
              e.code().isEmpty() ? "demo_failed" : e.code()));
      return;
    }
    p.render(
        "demo.jte",
        p.chrome(
            "Demo tenant " + result.tenant(),
            new Chrome.Flash(true, "Demo tenant " + result.tenant() + " created.", null)),
        "demo",
        result);
  }
}
