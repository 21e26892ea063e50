package io.maestro.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.helidon.webserver.http.ServerRequest;
import io.maestro.server.http.ServerTiming;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The console's only way to data: the server's own API, called over the local connection with the
 * signed-in user's token. Every page therefore passes the same authentication, policy gate, tenant
 * scope, receipts and error codes as {@code maestro} and any other API client; the console reads no
 * table.
 */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  /** A bit more than the API's own limit on a followed log. */
  private static final Duration FOLLOW_LIMIT = Duration.ofMinutes(31);

  private final URI base;
  private final Optional<String> token;
  private final ServerTiming.Recorder timing;

  private ApiClient(URI base, Optional<String> token, ServerTiming.Recorder timing) {
    this.base = base;
    this.token = token;
    this.timing = timing;
  }

  /**
   * A client of the server that received {@code req}: the address and port it came in on. The
   * server time of each API call it makes (the API response's {@code Server-Timing}) is added to
   * {@code req}'s own, as {@code api}.
   */
  public static ApiClient of(ServerRequest req, Optional<String> token) {
    return new ApiClient(URI.create(baseOf(req)), token, ServerTiming.recorder(req));
  }

  /** The API's base URL as seen from this process: the address and port {@code req} came in on. */
  public static String baseOf(ServerRequest req) {
    InetSocketAddress local = (InetSocketAddress) req.localPeer().address();
    InetAddress a = local.getAddress();
    String host =
        a.isAnyLocalAddress()
            ? "127.0.0.1"
            : a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
    return "http://" + host + ":" + local.getPort();
  }

  /** A digest of the token, naming what this client's user may see (for per-user caches). */
  public String sessionKey() {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(token.orElse("").getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public JsonNode get(String path) {
    return send("GET", path, null);
  }

  public JsonNode post(String path, Object body) {
    return send("POST", path, body);
  }

  public JsonNode put(String path, Object body) {
    return send("PUT", path, body);
  }

  public JsonNode patch(String path, Object body) {
    return send("PATCH", path, body);
  }

  public JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  /** The raw body of a GET (NDJSON logs, exports). */
  public String text(String path) {
    return exchange("GET", path, null);
  }

  /**
   * Streams the lines of a GET's body to {@code sink} as they arrive (a followed NDJSON log) and
   * returns when the server ends the response. A refusal is thrown before the first line; an {@link
   * IOException} from {@code sink} (its reader went away) stops the stream.
   */
  public void lines(String path, LineSink sink) throws IOException {
    // No 30-second limit here: a followed log sends its headers with its first line, which may
    // come minutes later (a step waiting for an approval); the API ends a follow after 30 minutes.
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(FOLLOW_LIMIT)
            .header("Accept", "application/x-ndjson");
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    HttpResponse<java.io.InputStream> res;
    try {
      res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted calling the API", e);
    }
    try (var in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      if (res.statusCode() >= 400) {
        StringBuilder text = new StringBuilder();
        in.lines().forEach(text::append);
        throw ApiException.from(res.statusCode(), text.toString());
      }
      String line;
      while ((line = in.readLine()) != null) {
        sink.line(line);
      }
    }
  }

  /**
   * Streams a GET's binary body (a disclosure pack) to {@code sink} with the response's headers. A
   * refusal is thrown as {@link ApiException} before anything is written.
   */
  public void download(String path, Download sink) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(FOLLOW_LIMIT);
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    HttpResponse<java.io.InputStream> res;
    try {
      res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted calling the API", e);
    }
    try (java.io.InputStream in = res.body()) {
      if (res.statusCode() >= 400) {
        throw ApiException.from(
            res.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      sink.write(res.headers(), in);
    }
  }

  /** Receives a downloaded body. */
  @FunctionalInterface
  public interface Download {
    void write(java.net.http.HttpHeaders headers, java.io.InputStream body) throws IOException;
  }

  /** Receives streamed lines. */
  @FunctionalInterface
  public interface LineSink {
    void line(String line) throws IOException;
  }

  private JsonNode send(String method, String path, Object body) {
    String text = exchange(method, path, body);
    try {
      return text.isBlank() ? MissingNode.getInstance() : JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String exchange(String method, String path, Object body) {
    if (method.equals("GET")) {
      return blockingGet(path);
    }
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(Duration.ofSeconds(30))
              .header("Accept", "application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
      HttpResponse<String> res =
          HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      timed(res.headers().firstValue("Server-Timing").orElse(null));
      if (res.statusCode() >= 400) {
        throw ApiException.from(res.statusCode(), res.body());
      }
      return res.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted calling the API", e);
    }
  }

  /**
   * A GET on the calling thread ({@link HttpURLConnection}: blocking I/O on kept-alive
   * connections). The pages' reads then wait for the API alone, not also for the hand-offs between
   * the asynchronous client's selector and executor threads, each of which waits for a free core on
   * a busy machine. ({@link HttpURLConnection} cannot send PATCH, so changes keep the other
   * client.)
   */
  private String blockingGet(String path) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) base.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
      c.setConnectTimeout(5_000);
      c.setReadTimeout(30_000);
      c.setInstanceFollowRedirects(false);
      c.setRequestProperty("Accept", "application/json");
      token.ifPresent(t -> c.setRequestProperty("Authorization", "Bearer " + t));
      int status = c.getResponseCode();
      timed(c.getHeaderField("Server-Timing"));
      String text;
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (status >= 400) {
        throw ApiException.from(status, text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds an API response's own server time to the page's ({@code Server-Timing: api}). */
  private void timed(String serverTiming) {
    ServerTiming.appNanos(serverTiming).ifPresent(nanos -> timing.add("api", nanos));
  }

  /** {@code path?k=v&…} with the non-blank values encoded; blank ones are left out. */
  public static String query(String path, Map<String, String> params) {
    StringJoiner q = new StringJoiner("&");
    params.forEach(
        (k, v) -> {
          if (v != null && !v.isBlank()) {
            q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    return q.length() == 0 ? path : path + "?" + q;
  }

  /** A path segment, encoded. */
  public static String seg(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
