package io.maestro.console.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Static files under {@code /console/assets/}: the console's stylesheet and script, and htmx from
 * its WebJar. Only the names listed here are served, from the class path.
 */
public final class Assets {
  public static final String HTMX_VERSION = "2.0.8";
  public static final String UPLOT_VERSION = "1.6.30";

  private static final Map<String, String[]> FILES =
      Map.of(
          "uPlot.iife.min.js",
              new String[] {
                "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/uPlot.iife.min.js",
                "text/javascript"
              },
          "uPlot.min.css",
              new String[] {
                "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/uPlot.min.css",
                "text/css"
              },
          "usage-chart.js",
              new String[] {"io/maestro/console/static/usage-chart.js", "text/javascript"},
          "console.css", new String[] {"io/maestro/console/static/console.css", "text/css"},
          "live.js", new String[] {"io/maestro/console/static/live.js", "text/javascript"},
          "htmx.min.js",
              new String[] {
                "META-INF/resources/webjars/htmx.org/" + HTMX_VERSION + "/dist/htmx.min.js",
                "text/javascript"
              });

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  public void serve(ServerRequest req, ServerResponse res) {
    String name = req.path().pathParameters().get("file");
    String[] file = FILES.get(name);
    SecurityHeaders.apply(res);
    if (file == null) {
      res.status(Status.NOT_FOUND_404).send("not found");
      return;
    }
    byte[] body = cache.computeIfAbsent(name, n -> read(file[0]));
    res.header(HeaderNames.CONTENT_TYPE, file[1] + "; charset=utf-8");
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
    res.send(body);
  }

  private static byte[] read(String resource) {
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing console asset " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
