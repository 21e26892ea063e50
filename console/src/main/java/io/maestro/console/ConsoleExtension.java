package io.maestro.console;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.receipts.ReceiptPages;
import io.maestro.console.runs.RunPages;
import io.maestro.console.session.Me;
import io.maestro.console.session.Session;
import io.maestro.console.tenants.TenantPages;
import io.maestro.console.web.Assets;
import io.maestro.console.web.Brand;
import io.maestro.console.web.SecurityHeaders;
import io.maestro.console.web.SignIn;
import io.maestro.console.web.Views;
import io.maestro.console.workflows.WorkflowPages;
import io.maestro.server.extension.WebExtension;
import java.time.Clock;
import java.util.Optional;

/**
 * Switchboard's wiring: the pages under {@code /console}, its assets, and {@code /} redirecting
 * there. The pages read and act only through the server's API (see {@code ApiClient}), so the
 * policy gate, tenant scope and receipts are the API's own.
 */
public final class ConsoleExtension implements WebExtension {

  @Override
  public void routing(HttpRouting.Builder r, Context context) {
    Assets assets = new Assets();
    r.get("/", (req, res) -> Views.redirect(res, "/console"));
    r.get(
        "/console",
        (req, res) ->
            Views.redirect(
                res, Session.token(req).isPresent() ? "/console/runs" : "/console/signin"));
    r.get("/console/assets/{file}", assets::serve);
    r.get(
        "/favicon.ico",
        (req, res) -> {
          SecurityHeaders.apply(res);
          res.status(Status.NO_CONTENT_204);
          res.header(HeaderNames.CACHE_CONTROL, "public, max-age=86400");
          res.send();
        });
    r.get(
        "/console/brand.css",
        (req, res) -> {
          String css = "";
          Optional<String> token = Session.token(req);
          if (token.isPresent()) {
            ApiClient api = ApiClient.of(req, token);
            try {
              css = Brand.of(api, Me.of(api.get("/api/whoami"))).css();
            } catch (ApiException e) {
              // an expired session: the default theme
            }
          }
          SecurityHeaders.apply(res);
          res.header(HeaderNames.CONTENT_TYPE, "text/css; charset=utf-8");
          res.header(HeaderNames.CACHE_CONTROL, "no-store");
          res.send(css);
        });
    new SignIn(context.config().dev(), io.maestro.console.oidc.OidcClient.of(context.config()))
        .routing(r);
    new RunPages(Clock.systemUTC()).routing(r);
    new TenantPages().routing(r);
    new io.maestro.console.demo.DemoPages().routing(r);
    new WorkflowPages().routing(r);
    new ReceiptPages().routing(r);
    new io.maestro.console.compliance.CompliancePages().routing(r);
    new io.maestro.console.lifecycle.LifecyclePages().routing(r);
    new io.maestro.console.drills.DrillPages().routing(r);
    new io.maestro.console.policy.PolicyPages().routing(r);
    new io.maestro.console.usage.UsagePages(Clock.systemUTC()).routing(r);
    new io.maestro.console.governance.GovernancePages(Clock.systemUTC()).routing(r);
    new io.maestro.console.governance.IncidentPages().routing(r);
    new io.maestro.console.schedules.SchedulePages(Clock.systemUTC()).routing(r);
  }
}
