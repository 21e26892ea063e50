package io.maestro.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.maestro.core.logging.LogFields;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.core.trace.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Puts the declared {@link Route}s into Helidon's routing: every handler is timed under its route
 * template, every error goes through {@link Problems}, and a request no route matches gets a
 * problem — {@code route_not_found} (404) or {@code method_not_allowed} (405, with {@code Allow}).
 */
public final class ApiRouter {
  private static final io.helidon.http.HeaderName TRACEPARENT =
      HeaderNames.create(Tracing.TRACEPARENT);
  // Probes and scrapes arrive every few seconds from every kubelet and Prometheus: spans of them
  // would drown the governed work tracing is for.
  private static final Set<String> UNTRACED = Set.of("/healthz", "/readyz", "/metrics");
  private final List<Route> routes;
  private final List<Template> templates = new ArrayList<>();
  private final RouteGuard guard;
  private final List<ApiService> services;
  private final Tracing tracing;

  /** A router without authentication, for tests of the HTTP edge only. */
  public ApiRouter(List<ApiService> services) {
    this(services, RouteGuard.NONE);
  }

  /**
   * @param guard authenticates and authorizes every non-public route ({@code PolicyGate})
   */
  public ApiRouter(List<ApiService> services, RouteGuard guard) {
    this(services, guard, Tracing.off());
  }

  /**
   * @param tracing spans every routed request ({@code SERVER} kind, named by its route template)
   *     under the caller's {@code traceparent} header when it sends one
   */
  public ApiRouter(List<ApiService> services, RouteGuard guard, Tracing tracing) {
    this.guard = guard;
    this.tracing = tracing;
    List<Route> all = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (ApiService s : services) {
      for (Route r : s.routes()) {
        if (!seen.add(r.method().text() + " " + r.path())) {
          throw new IllegalStateException(
              "route declared twice: " + r.method().text() + " " + r.path());
        }
        all.add(r);
        templates.add(new Template(r.method(), compile(r.path())));
      }
    }
    this.routes = List.copyOf(all);
    this.services = List.copyOf(services);
  }

  /** The service of {@code type} this router serves, if any. */
  public <T extends ApiService> java.util.Optional<T> service(Class<T> type) {
    return services.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  public List<Route> routes() {
    return routes;
  }

  public void configure(HttpRouting.Builder routing, RequestRecorder metrics, long maxBodyBytes) {
    configure(routing, metrics, maxBodyBytes, 0);
  }

  /**
   * @param dbPoolSize the database connection pool's size: state-changing requests take at most
   *     what the engine leaves of it at once ({@link WriteLane}); 0 for no bound
   */
  public void configure(
      HttpRouting.Builder routing, RequestRecorder metrics, long maxBodyBytes, int dbPoolSize) {
    WriteLane lane = dbPoolSize > 0 ? WriteLane.forPool(dbPoolSize) : null;
    HttpJson.BodyLimit limit = new HttpJson.BodyLimit(maxBodyBytes);
    routing.addFilter(new ConnectionClose());
    routing.addFilter(new ServerTiming());
    routing.addFilter(new RequestIds());
    routing.addFilter(
        (chain, req, res) -> {
          req.context().register(limit);
          try {
            rejectNul(req);
          } catch (MaestroException e) {
            Problems.handle(req, res, e);
            return;
          }
          chain.proceed();
        });
    routing.error(Throwable.class, Problems::handle);
    for (Route r : routes) {
      Handler guarded = guard.wrap(r);
      Handler handler = lane != null && lane.applies(r) ? lane.wrap(guarded) : guarded;
      routing.route(
          r.method(),
          r.path(),
          (req, res) -> {
            long start = System.nanoTime();
            Tracing.Traced span = traced(r, req);
            try {
              handler.handle(req, res);
            } catch (Exception e) {
              Problems.handle(req, res, e);
            } finally {
              int status = res.status().code();
              guard.served(req, status);
              metrics.recordRequest(
                  r.method().text(),
                  r.path(),
                  status,
                  java.time.Duration.ofNanos(System.nanoTime() - start));
              // What the gate and handler learnt: tenant, decision id, run id.
              span.attribute("http.response.status_code", status).attributes(LogFields.current());
              if (status >= 500) {
                span.failed(Integer.toString(status));
              }
              span.close();
            }
          });
    }
    routing.any(
        (req, res) -> {
          Method method = req.prologue().method();
          String path = req.path().path();
          Set<String> allowed = new LinkedHashSet<>();
          for (Template t : templates) {
            if (t.pattern().matcher(path).matches()) {
              allowed.add(t.method().text());
            }
          }
          if (!allowed.isEmpty() && !allowed.contains(method.text())) {
            res.header(HeaderNames.ALLOW, String.join(", ", allowed));
            Problems.handle(
                req,
                res,
                MaestroException.of(
                    CoreErrors.METHOD_NOT_ALLOWED,
                    method.text()
                        + " is not allowed on "
                        + path
                        + "; use "
                        + String.join(", ", allowed)));
          } else {
            Problems.handle(
                req,
                res,
                MaestroException.of(
                    CoreErrors.ROUTE_NOT_FOUND, "no endpoint " + method.text() + " " + path));
          }
          metrics.recordRequest(
              method.text(), "NOT_FOUND", res.status().code(), java.time.Duration.ZERO);
        });
  }

  private Tracing.Traced traced(Route r, ServerRequest req) {
    if (!tracing.on() || UNTRACED.contains(r.path())) {
      return Tracing.Traced.NONE;
    }
    return tracing
        .spanUnder(
            req.headers().first(TRACEPARENT).orElse(null),
            r.method().text() + " " + r.path(),
            SpanKind.SERVER)
        .attribute("http.request.method", r.method().text())
        .attribute("http.route", r.path())
        .attribute(Tracing.REQUEST_ID, LogFields.requestId());
  }

  /** Ids in the path, query parameters and header values are refused with a NUL character. */
  private static void rejectNul(ServerRequest req) {
    HttpJson.requireNoNul(req.path().path(), "the path");
    for (String name : req.query().names()) {
      HttpJson.requireNoNul(name, "a query parameter name");
      for (String v : req.query().all(name)) {
        HttpJson.requireNoNul(v, "query parameter " + name);
      }
    }
    for (Header h : req.headers()) {
      HttpJson.requireNoNul(h.values(), "header " + h.name());
    }
  }

  private static Pattern compile(String template) {
    StringBuilder re = new StringBuilder();
    for (String part : template.split("/", -1)) {
      if (!re.isEmpty() || !part.isEmpty()) {
        re.append('/');
      }
      if (part.startsWith("{") && part.endsWith("}")) {
        re.append("[^/]+");
      } else {
        re.append(Pattern.quote(part));
      }
    }
    return Pattern.compile(re.isEmpty() ? "/" : re.toString());
  }

  private record Template(Method method, Pattern pattern) {}
}
