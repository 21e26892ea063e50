package io.maestro.server.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import java.util.Objects;

/**
 * One HTTP endpoint: its method, its path template ({@code /api/runs/{id}}, the same spelling as in
 * {@code docs/api/openapi.yaml}), the action policy decides on (e.g. {@code run.start}; {@code
 * public} for unauthenticated endpoints such as health checks) and its handler.
 */
public record Route(Method method, String path, String action, Handler handler) {
  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(handler, "handler");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("route paths start with /: " + path);
    }
  }

  public static Route get(String path, String action, Handler handler) {
    return new Route(Method.GET, path, action, handler);
  }

  public static Route post(String path, String action, Handler handler) {
    return new Route(Method.POST, path, action, handler);
  }

  public static Route put(String path, String action, Handler handler) {
    return new Route(Method.PUT, path, action, handler);
  }

  public static Route patch(String path, String action, Handler handler) {
    return new Route(Method.PATCH, path, action, handler);
  }

  public static Route delete(String path, String action, Handler handler) {
    return new Route(Method.DELETE, path, action, handler);
  }

  /** True for endpoints anyone may call (health, metrics, the API document, public keys). */
  public boolean isPublic() {
    return "public".equals(action);
  }
}
