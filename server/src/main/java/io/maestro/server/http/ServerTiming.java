package io.maestro.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says on every response how long the server took to produce it: {@code Server-Timing: app;dur=…}
 * (milliseconds), from the moment the request's line and headers were read (routing starts) to the
 * moment the response is handed to the connection (its status and headers, with the body the
 * handler produced, are written next). A streamed response (a followed log, an export) reports the
 * time to its first byte. Work a handler did for the request elsewhere — the console's calls to the
 * API — is added through {@link #recorder} and reported as its own metric, summed, with the number
 * of calls as its description ({@code api;dur=…;desc="3"}).
 */
public final class ServerTiming implements Filter {
  public static final HeaderName HEADER = HeaderNames.create("Server-Timing");
  private static final Pattern APP =
      Pattern.compile("(?:^|,)\\s*app\\s*;(?:[^,]*;)?\\s*dur=([0-9.]+)");

  /** Time spent for one request under named metrics, from any thread. */
  private static final class Parts {
    private final Map<String, AtomicLong[]> parts = new ConcurrentHashMap<>();

    void add(String metric, long nanos) {
      AtomicLong[] p =
          parts.computeIfAbsent(metric, k -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
      p[0].addAndGet(nanos);
      p[1].incrementAndGet();
    }
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    Parts parts = new Parts();
    req.context().register(Parts.class, parts);
    res.beforeSend(
        () -> {
          StringBuilder v = new StringBuilder("app;dur=").append(ms(System.nanoTime() - start));
          parts.parts.forEach(
              (metric, p) ->
                  v.append(", ")
                      .append(metric)
                      .append(";dur=")
                      .append(ms(p[0].get()))
                      .append(";desc=\"")
                      .append(p[1].get())
                      .append('"'));
          res.header(HEADER, v.toString());
        });
    chain.proceed();
  }

  /** A recorder for {@code req}'s work elsewhere, usable after the handler's thread moved on. */
  public static Recorder recorder(ServerRequest req) {
    Optional<Parts> parts = req.context().get(Parts.class, Parts.class);
    return parts.<Recorder>map(p -> p::add).orElse((metric, nanos) -> {});
  }

  /** Adds time under a metric of one request. */
  @FunctionalInterface
  public interface Recorder {
    void add(String metric, long nanos);
  }

  /**
   * The server's own time ({@code app}) in a {@code Server-Timing} header value, in nanoseconds.
   */
  public static Optional<Long> appNanos(String headerValue) {
    if (headerValue == null) {
      return Optional.empty();
    }
    Matcher m = APP.matcher(headerValue);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Math.round(Double.parseDouble(m.group(1)) * 1e6));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
  }
}
