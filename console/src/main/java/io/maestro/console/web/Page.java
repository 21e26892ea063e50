package io.maestro.console.web;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.session.Me;
import io.maestro.console.session.MeCache;
import io.maestro.console.session.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One request of a signed-in page: the API client with the session's token, who the user is (from
 * {@code GET /api/whoami}, so an expired or forged cookie is refused by the API's authentication)
 * and the layout's chrome. Refusals from the API become pages: another tenant's object is "not
 * found", an expired session goes back to the sign-in form.
 */
public final class Page {
  private static final Logger LOG = Logger.getLogger(Page.class.getName());
  public static final String PRODUCT = "Maestro Switchboard";

  /** A page handler for a signed-in user. */
  @FunctionalInterface
  public interface Handler {
    void handle(Page page) throws Exception;
  }

  private final ServerRequest req;
  private final ServerResponse res;
  private final String token;
  private final ApiClient api;
  private final Me me;
  private final String active;
  private Brand brand;

  private Page(ServerRequest req, ServerResponse res, String token, Me me, String active) {
    this.req = req;
    this.res = res;
    this.token = token;
    this.api = ApiClient.of(req, Optional.of(token));
    this.me = me;
    this.active = active;
  }

  /** The tenant's brand, read once per page when the layout first needs it. */
  private Brand brand() {
    if (brand == null) {
      brand = prefetched != null ? Async.join(prefetched) : Brand.of(api, me);
    }
    return brand;
  }

  /**
   * Starts reading the brand now, alongside the page's own API calls, for a page that will render
   * the layout (the brand is read on every page load: a new pack shows on the next one).
   */
  public void prefetchBrand() {
    if (brand == null && prefetched == null) {
      prefetched = Async.call(() -> Brand.of(api, me));
    }
  }

  private java.util.concurrent.CompletableFuture<Brand> prefetched;

  /** Serves {@code handler} to a signed-in user; anyone else goes to the sign-in form. */
  public static io.helidon.webserver.http.Handler signedIn(String active, Handler handler) {
    return (req, res) -> {
      Optional<String> token = Session.token(req);
      if (token.isEmpty()) {
        Views.redirect(res, "/console/signin");
        return;
      }
      Me me;
      try {
        me = MeCache.get(token.get(), () -> Me.of(ApiClient.of(req, token).get("/api/whoami")));
      } catch (ApiException e) {
        if (e.status() == 401) {
          Session.end(req, res);
          Views.redirect(res, "/console/signin");
          return;
        }
        throw e;
      }
      Page page = new Page(req, res, token.get(), me, active);
      try {
        handler.handle(page);
      } catch (ApiException e) {
        if (e.status() == 401) {
          // The session's token expired or was refused since whoami was remembered.
          MeCache.forget(token.get());
          Session.end(req, res);
          Views.redirect(res, "/console/signin");
          return;
        }
        page.error(e);
      } catch (Exception e) {
        LOG.log(Level.WARNING, "console page failed: " + req.path().path(), e);
        page.render(
            Status.INTERNAL_SERVER_ERROR_500,
            "error.jte",
            Map.of("status", 500, "message", "Something went wrong.", "code", "internal"));
      }
    };
  }

  public ServerRequest req() {
    return req;
  }

  public ServerResponse res() {
    return res;
  }

  public ApiClient api() {
    return api;
  }

  /** The session's API token (for work that calls the API on the user's behalf). */
  public String token() {
    return token;
  }

  public Me me() {
    return me;
  }

  public String param(String name) {
    return req.path().pathParameters().get(name);
  }

  public String query(String name) {
    return req.query().first(name).orElse("");
  }

  /** The submitted form, after checking its CSRF token; a mismatch is refused before any call. */
  public Optional<Form> form() {
    Form f = Form.read(req);
    if (!Session.csrfMatches(token, f.get(Session.CSRF_FIELD))) {
      render(
          Status.FORBIDDEN_403,
          "error.jte",
          Map.of(
              "status", 403,
              "message", "The form expired or did not come from this console; reload and retry.",
              "code", "csrf_mismatch"));
      return Optional.empty();
    }
    return Optional.of(f);
  }

  public Chrome chrome(String title) {
    return chrome(title, null);
  }

  public Chrome chrome(String title, Chrome.Flash flash) {
    Brand b = brand();
    return new Chrome(
        title, me, Session.csrf(token), nav(me), active, flash, b.product(), b.logo());
  }

  public void render(Status status, String template, Map<String, Object> params) {
    Map<String, Object> all = new LinkedHashMap<>(params);
    all.putIfAbsent("chrome", chrome(String.valueOf(params.getOrDefault("title", PRODUCT))));
    all.remove("title");
    Views.render(res, status, template, all);
  }

  public void render(String template, Chrome chrome, String name, Object model) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("chrome", chrome);
    all.put(name, model);
    Views.render(res, Status.OK_200, template, all);
  }

  void error(ApiException e) {
    int status = e.notFound() ? 404 : e.status();
    String message =
        e.notFound()
            ? "There is nothing here for your tenant."
            : e.getMessage()
                + (e.decisionId().isEmpty() ? "" : " (decision " + e.decisionId() + ")");
    render(
        Status.create(status),
        "error.jte",
        Map.of(
            "title",
            status == 404 ? "Not found" : "Refused",
            "status",
            status,
            "message",
            message,
            "code",
            e.notFound() ? "not_found" : e.code()));
  }

  /** The navigation: only views that exist, and only those the role can read. */
  static List<Chrome.Nav> nav(Me me) {
    List<Chrome.Nav> nav = new ArrayList<>();
    if (me.hasTenant()) {
      nav.add(new Chrome.Nav("runs", "Runs", "/console/runs"));
      nav.add(new Chrome.Nav("workflows", "Workflows", "/console/workflows"));
      nav.add(new Chrome.Nav("receipts", "Receipts", "/console/receipts"));
      nav.add(new Chrome.Nav("compliance", "Compliance", "/console/compliance"));
      nav.add(new Chrome.Nav("lifecycle", "Lifecycle", "/console/lifecycle"));
    }
    nav.addAll(OperationsNav.items(me));
    nav.add(new Chrome.Nav("tenants", "Tenants", "/console/tenants"));
    return OperationsNav.readable(me, nav);
  }
}
