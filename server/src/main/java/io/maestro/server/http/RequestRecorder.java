package io.maestro.server.http;

import java.time.Duration;

/**
 * Hears every request the router served (the server's metrics). The router owns this port so that
 * the HTTP layer does not depend on the metrics package, which itself serves an HTTP route.
 */
@FunctionalInterface
public interface RequestRecorder {
  /**
   * Records one served request under its route template (never the raw path: ids would explode
   * cardinality). Called on the request's thread; must be thread-safe and must not throw.
   */
  void recordRequest(String method, String routeTemplate, int status, Duration took);
}
