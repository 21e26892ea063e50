package io.maestro.server.http;

import io.helidon.webserver.http.Handler;

/**
 * Puts authentication and authorization in front of a route's handler. The router asks it once per
 * route, at start, for the handler to serve; {@code io.maestro.server.auth.PolicyGate} is the real
 * one.
 */
@FunctionalInterface
public interface RouteGuard {
  /** Serves every route as declared, with no authentication: only for tests of the HTTP edge. */
  RouteGuard NONE = Route::handler;

  Handler wrap(Route route);
}
