package io.maestro.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.oidc.OidcClient;
import io.maestro.console.session.Session;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-in and sign-out. In dev mode the form asks the dev issuer ({@code POST /api/dev/token},
 * exactly as {@code maestro login --dev} does) for a token of the chosen tenant and role; in any
 * mode a token from the identity provider can be pasted; with {@code auth.oidc.clientId} set the
 * user signs in at the identity provider ({@link OidcSignIn}). The token is checked by calling
 * {@code GET /api/whoami} with it before the session cookie is set.
 */
public final class SignIn {
  static final List<String> ROLES =
      List.of(
          "tenant_admin",
          "operator",
          "workflow_reviewer",
          "workflow_author",
          "read_only",
          "conductor_admin",
          "support");
  private static final Duration DEV_TTL = Duration.ofHours(8);

  private final boolean dev;
  private final Optional<OidcClient> oidc;

  public SignIn(boolean dev, Optional<OidcClient> oidc) {
    this.dev = dev;
    this.oidc = oidc;
  }

  public void routing(HttpRouting.Builder r) {
    r.get("/console/signin", (req, res) -> form(res, Status.OK_200, null));
    r.post("/console/signin", this::signIn);
    r.post("/console/signout", this::signOut);
    oidc.ifPresent(o -> new OidcSignIn(o, this::form).routing(r));
  }

  void form(ServerResponse res, Status status, String error) {
    form(res, status, error == null ? null : new Chrome.Flash(false, error, null), "");
  }

  private void form(ServerResponse res, Status status, Chrome.Flash flash, String endSession) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("endSession", endSession);
    params.put("chrome", new Chrome("Sign in", null, "", List.of(), "", flash, Page.PRODUCT, null));
    params.put("dev", dev);
    params.put("oidc", oidc.map(OidcClient::issuer).orElse(""));
    params.put("roles", ROLES);
    Views.render(res, status, "signin.jte", params);
  }

  private void signIn(ServerRequest req, ServerResponse res) {
    Form f = Form.read(req);
    try {
      String token;
      Duration ttl;
      if ("dev".equals(f.get("mode")) && dev) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (!f.get("tenant").isEmpty()) {
          body.put("tenant", f.get("tenant"));
        }
        if (!f.get("subject").isEmpty()) {
          body.put("subject", f.get("subject"));
        }
        body.put("roles", List.of(f.get("role")));
        body.put("create", "true".equals(f.get("create")));
        body.put("ttl_minutes", DEV_TTL.toMinutes());
        JsonNode issued = ApiClient.of(req, Optional.empty()).post("/api/dev/token", body);
        token = issued.path("token").asText();
        ttl = DEV_TTL;
      } else {
        token = f.get("token");
        if (token.isEmpty() || !token.matches("[A-Za-z0-9._~+/=-]+")) {
          form(res, Status.BAD_REQUEST_400, "Paste a token.");
          return;
        }
        ttl = Duration.ofHours(1);
      }
      ApiClient.of(req, Optional.of(token)).get("/api/whoami");
      Session.start(req, res, token, ttl);
      Views.redirect(res, "/console");
    } catch (ApiException e) {
      form(res, Status.create(e.status() == 401 ? 401 : 400), "Sign-in refused: " + e.getMessage());
    }
  }

  private void signOut(ServerRequest req, ServerResponse res) {
    Form f = Form.read(req);
    Optional<String> token = Session.token(req);
    if (token.isPresent() && !Session.csrfMatches(token.get(), f.get(Session.CSRF_FIELD))) {
      form(res, Status.FORBIDDEN_403, "The sign-out form did not come from this console.");
      return;
    }
    token.ifPresent(io.maestro.console.session.MeCache::forget);
    Session.end(req, res);
    // Signed in at the identity provider: offer to end that session too, where the provider has
    // an end-session endpoint. A link, not a redirect: the CSP's form-action 'self' rightly stops
    // a form's submission from being redirected to another origin.
    Optional<java.net.URI> idp =
        token.isPresent() && oidc.isPresent() && oidc.get().issued(token.get())
            ? oidc.get().endSession(OidcSignIn.origin(req))
            : Optional.empty();
    if (idp.isPresent()) {
      form(
          res,
          Status.OK_200,
          new Chrome.Flash(true, "Signed out of the console.", null),
          idp.get().toString());
      return;
    }
    Views.redirect(res, "/console/signin");
  }
}
