package io.maestro.server.auth;

import io.helidon.webserver.http.Handler;
import io.maestro.server.http.Route;

/**
 * Puts authentication and authorization in front of a route's handler. The router asks it once per
 * route, at start, for the handler to serve; {@link PolicyGate} is the real one.
 */
@FunctionalInterface
public interface RouteGuard {
  /** Serves every route as declared, with no authentication: only for tests of the HTTP edge. */
  RouteGuard NONE = Route::handler;

  Handler wrap(Route route);
}
