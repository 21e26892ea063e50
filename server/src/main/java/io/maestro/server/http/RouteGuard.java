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

  /**
   * Hears how a request it guarded was answered, once the handler and any error handling are done
   * (the access log's result). Called on the request's thread; must not throw.
   */
  default void served(io.helidon.webserver.http.ServerRequest req, int status) {}
}
