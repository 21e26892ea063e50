package io.maestro.console.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.oidc.OidcClient;
import io.maestro.console.session.Session;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The two legs of an OIDC sign-in: {@code /console/oidc/start} sends the browser to the provider
 * with a fresh state, nonce and PKCE challenge (their secrets ride in an HttpOnly cookie scoped to
 * {@code /console/oidc} for ten minutes), and {@code /console/oidc/callback} redeems the code,
 * checks the ID token and opens the console session with the access token once the API accepts it.
 */
final class OidcSignIn {
  private static final Logger LOG = Logger.getLogger(OidcSignIn.class.getName());
  static final String COOKIE = "maestro_oidc";
  private static final Duration PENDING_TTL = Duration.ofMinutes(10);

  /** Renders the sign-in page with a message. */
  interface FormPage {
    void show(ServerResponse res, Status status, String error);
  }

  private final OidcClient oidc;
  private final FormPage page;

  OidcSignIn(OidcClient oidc, FormPage page) {
    this.oidc = oidc;
    this.page = page;
  }

  void routing(HttpRouting.Builder r) {
    r.get("/console/oidc/start", this::start);
    r.get("/console/oidc/callback", this::callback);
  }

  /** The scheme and host the browser used (the default redirect URI is built on them). */
  static String origin(ServerRequest req) {
    String host =
        req.headers()
            .first(HeaderNames.HOST)
            .orElse("localhost")
            .replaceAll("[^A-Za-z0-9.:\\[\\]-]", "");
    return (req.isSecure() ? "https" : "http") + "://" + host;
  }

  private void start(ServerRequest req, ServerResponse res) {
    Map.Entry<OidcClient.Pending, URI> begun;
    try {
      begun = oidc.begin(origin(req));
    } catch (OidcClient.SignInFailed e) {
      page.show(res, Status.BAD_GATEWAY_502, "Sign-in unavailable: " + e.getMessage());
      return;
    }
    res.headers()
        .add(HeaderNames.SET_COOKIE, cookie(req, begun.getKey().cookieValue(), PENDING_TTL));
    Views.redirect(res, begun.getValue().toString());
  }

  private void callback(ServerRequest req, ServerResponse res) {
    Optional<OidcClient.Pending> pending = pending(req);
    // One use only: the cookie goes whatever the outcome.
    res.headers().add(HeaderNames.SET_COOKIE, cookie(req, "", Duration.ZERO));
    String error = req.query().first("error").orElse("");
    if (!error.isEmpty()) {
      String why = req.query().first("error_description").orElse(error);
      page.show(res, Status.UNAUTHORIZED_401, "The identity provider refused: " + clip(why));
      return;
    }
    if (pending.isEmpty()) {
      page.show(
          res,
          Status.BAD_REQUEST_400,
          "This sign-in was not started here or took too long; start again.");
      return;
    }
    try {
      OidcClient.SignedIn in =
          oidc.finish(
              pending.get(),
              req.query().first("state").orElse(null),
              req.query().first("code").orElse(null),
              origin(req));
      ApiClient.of(req, Optional.of(in.apiToken())).get("/api/whoami");
      Duration ttl = Duration.between(Instant.now(), in.expires());
      Session.start(req, res, in.apiToken(), ttl.isNegative() ? Duration.ZERO : ttl);
      Views.redirect(res, "/console");
    } catch (OidcClient.SignInFailed e) {
      LOG.log(Level.INFO, "OIDC sign-in refused: " + e.getMessage());
      page.show(res, Status.UNAUTHORIZED_401, "Sign-in refused: " + e.getMessage());
    } catch (ApiException e) {
      page.show(
          res,
          Status.UNAUTHORIZED_401,
          "Sign-in refused: the API does not accept the identity provider's access token ("
              + e.getMessage()
              + ")");
    }
  }

  private static Optional<OidcClient.Pending> pending(ServerRequest req) {
    for (String header : req.headers().all(HeaderNames.COOKIE, List::of)) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(COOKIE + "=")) {
          return OidcClient.Pending.parse(p.substring(COOKIE.length() + 1));
        }
      }
    }
    return Optional.empty();
  }

  private static String cookie(ServerRequest req, String value, Duration ttl) {
    // SameSite=Lax: the provider's redirect back is a top-level GET, which Lax cookies go with.
    return COOKIE
        + "="
        + value
        + "; Path=/console/oidc; Max-Age="
        + ttl.toSeconds()
        + "; HttpOnly; SameSite=Lax"
        + (req.isSecure() ? "; Secure" : "");
  }

  private static String clip(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
