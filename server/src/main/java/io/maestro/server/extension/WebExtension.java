package io.maestro.server.extension;

import io.helidon.webserver.http.HttpRouting;
import io.maestro.core.config.MaestroConfig;
import io.maestro.server.http.ApiService;
import io.maestro.store.Database;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A module served by the same web server without the server depending on it (the web console):
 * found with {@link ServiceLoader} on the class path. Its API routes go through the router and the
 * policy gate like every other route; {@link #routing} adds routes that are not API (HTML pages,
 * static assets), registered before the router's catch-all.
 */
public interface WebExtension {

  /** What an extension may build on: its own tables, never other modules' (it calls the API). */
  record Context(MaestroConfig config, Database database) {}

  /** API routes, each with its policy action, served through the gate. */
  default List<ApiService> services(Context context) {
    return List.of();
  }

  /** Routes outside the API (pages, assets); called once while the web server is built. */
  default void routing(HttpRouting.Builder routing, Context context) {}

  /** The extensions on the class path, in a stable order. */
  static List<WebExtension> discover() {
    return ServiceLoader.load(WebExtension.class).stream()
        .map(ServiceLoader.Provider::get)
        .sorted(java.util.Comparator.comparing(e -> e.getClass().getName()))
        .toList();
  }
}
