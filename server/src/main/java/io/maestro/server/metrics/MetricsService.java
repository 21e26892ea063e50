package io.maestro.server.metrics;

import io.helidon.http.HeaderNames;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.RequestRecorder;
import io.maestro.server.http.Route;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;

/**
 * {@code /metrics} in Prometheus text format: JVM and process meters, the database pool (HikariCP
 * reports into the same registry) and {@code http_server_requests_seconds} per method, route
 * template and status.
 */
public final class MetricsService implements ApiService, RequestRecorder, AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public MetricsService() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void recordRequest(String method, String routeTemplate, int status, Duration took) {
    Timer.builder("http.server.requests")
        .description("HTTP requests served")
        .tag("method", method)
        .tag("uri", routeTemplate)
        .tag("status", Integer.toString(status))
        .tag("outcome", outcome(status))
        .publishPercentileHistogram(false)
        .register(registry)
        .record(took);
  }

  private static String outcome(int status) {
    if (status >= 500) {
      return "SERVER_ERROR";
    } else if (status >= 400) {
      return "CLIENT_ERROR";
    } else if (status >= 300) {
      return "REDIRECTION";
    }
    return "SUCCESS";
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(
            "/metrics",
            "public",
            (req, res) -> {
              res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
              res.send(registry.scrape());
            }));
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
