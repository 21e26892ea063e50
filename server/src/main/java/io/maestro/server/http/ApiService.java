package io.maestro.server.http;

import java.util.List;

/**
 * A feature's HTTP endpoints. Each feature (health, receipts, runs, …) implements one and {@link
 * io.maestro.server.MaestroServer} registers it. Declaring routes as data, rather than registering
 * them straight into the web server, lets the server check them against the OpenAPI document and
 * attach the policy action to every request.
 */
public interface ApiService {
  List<Route> routes();
}
