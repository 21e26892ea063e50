package io.maestro.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.core.json.Json;
import io.maestro.core.trace.Tracing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small typed client for the Maestro HTTP API (java.net.http): starting, listing, reading,
 * cancelling and approving runs and following their logs, workflows, the workflow package catalog,
 * and the worker routes ({@code /api/worker/…}). Every call sends the bearer token; any answer that
 * is not a success becomes a {@link MaestroApiException} with the problem's stable code.
 * Thread-safe: one instance serves any number of threads.
 */
public final class MaestroClient {
  private static final ObjectMapper JSON = Json.MAPPER;

  private final URI base;
  private final String token;
  private final HttpClient http;

  private MaestroClient(URI base, String token) {
    this.base = base;
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** A client that sends no token, for the public routes (health, the published keys). */
  public static MaestroClient anonymous(String baseUrl) {
    String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return new MaestroClient(URI.create(b), null);
  }

  /**
   * @param baseUrl the server, e.g. {@code http://127.0.0.1:8080}
   * @param token a bearer token (for workers: a tenant token with the {@code worker} role)
   */
  public static MaestroClient of(String baseUrl, String token) {
    // A null token would silently send unauthenticated requests; anonymous() says so instead.
    Objects.requireNonNull(token, "token");
    String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return new MaestroClient(URI.create(b), token);
  }

  /** The run a start created or found (same idempotency key). */
  public record RunRef(String id, String status) {}

  /** Starts a published workflow; {@code POST /api/runs}. */
  public RunRef startRun(String workflow, Map<String, ?> inputs) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workflow", workflow);
    body.put("inputs", inputs);
    JsonNode r = send("POST", "/api/runs", body, Duration.ofSeconds(30));
    return new RunRef(r.path("id").asText(), r.path("status").asText());
  }

  /** The run with its steps; {@code GET /api/runs/{id}}. */
  public JsonNode run(String runId) {
    return send("GET", "/api/runs/" + runId, null, Duration.ofSeconds(30));
  }

  /**
   * The API's OpenAPI document; {@code GET /openapi.json} (public).
   *
   * @param timeout how long to wait for the answer (a program on the port that is not a server may
   *     never answer)
   */
  public JsonNode openApi(Duration timeout) {
    return send("GET", "/openapi.json", null, timeout);
  }

  /** The tenant's workflows with their active versions; {@code GET /api/workflows}. */
  public JsonNode workflows() {
    return send("GET", "/api/workflows", null, Duration.ofSeconds(30));
  }

  /** One workflow and its versions; {@code GET /api/workflows/{name}}. */
  public JsonNode workflow(String name) {
    return send("GET", "/api/workflows/" + segment(name), null, Duration.ofSeconds(30));
  }

  /** One version with its source; {@code GET /api/workflows/{name}/versions/{version}}. */
  public JsonNode workflowVersion(String name, String version) {
    return send(
        "GET",
        "/api/workflows/" + segment(name) + "/versions/" + segment(version),
        null,
        Duration.ofSeconds(30));
  }

  /**
   * One page of runs, newest first; {@code GET /api/runs}. Empty filters are left out.
   *
   * @param cursor the previous page's {@code nextCursor}, or null for the first page
   */
  public JsonNode runs(String status, String workflow, int limit, String cursor) {
    StringBuilder path = new StringBuilder("/api/runs?limit=").append(limit);
    if (status != null) {
      path.append("&status=").append(segment(status));
    }
    if (workflow != null) {
      path.append("&workflow=").append(segment(workflow));
    }
    if (cursor != null) {
      path.append("&cursor=").append(segment(cursor));
    }
    return send("GET", path.toString(), null, Duration.ofSeconds(30));
  }

  /** Cancels a run; {@code POST /api/runs/{id}/cancel}, with an optional reason. */
  public JsonNode cancelRun(String runId, String reason) {
    return send(
        "POST",
        "/api/runs/" + segment(runId) + "/cancel",
        reason == null ? Map.of() : Map.of("reason", reason),
        Duration.ofSeconds(30));
  }

  /**
   * Approves or rejects a run's waiting approval step; {@code POST
   * /api/runs/{id}/steps/{step}/approve|reject}.
   *
   * @param verb {@code approve} or {@code reject}
   */
  public JsonNode decideStep(String runId, String step, String verb, String comment) {
    if (!verb.equals("approve") && !verb.equals("reject")) {
      throw new IllegalArgumentException("approve or reject, not " + verb);
    }
    return send(
        "POST",
        "/api/runs/" + segment(runId) + "/steps/" + segment(step) + "/" + verb,
        comment == null ? Map.of() : Map.of("comment", comment),
        Duration.ofSeconds(30));
  }

  /**
   * Hands each line of a run's log to {@code sink} as it arrives; {@code GET /api/runs/{id}/logs}
   * (NDJSON). With {@code follow} it returns when the run ends.
   *
   * @throws StreamBrokenException when the stream breaks after it began
   */
  public void runLogs(String runId, boolean follow, java.util.function.Consumer<JsonNode> sink) {
    String path = "/api/runs/" + segment(runId) + "/logs" + (follow ? "?follow=true" : "");
    HttpResponse<java.io.InputStream> r;
    try {
      r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientInterruptedException(e);
    }
    try (java.io.BufferedReader in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(r.body(), java.nio.charset.StandardCharsets.UTF_8))) {
      if (r.statusCode() / 100 != 2) {
        String text = in.lines().collect(java.util.stream.Collectors.joining("\n"));
        throw problem(
            r.statusCode(),
            text.isBlank() ? new byte[0] : text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          sink.accept(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new StreamBrokenException("the stream broke: " + e.getMessage(), e);
    }
  }

  /** The log stream broke after it began (the server went away, the connection was cut). */
  public static final class StreamBrokenException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    StreamBrokenException(String message, IOException cause) {
      super(message, cause);
    }
  }

  /** The workflow package catalog (default and the tenant's); {@code GET /api/packages}. */
  public JsonNode packages() {
    return send("GET", "/api/packages", null, Duration.ofSeconds(30));
  }

  /** One package with its versions; {@code GET /api/packages/{name}}. */
  public JsonNode packageInfo(String name) {
    return send("GET", "/api/packages/" + segment(name), null, Duration.ofSeconds(30));
  }

  /** Publishes a signed package (.tar.gz bytes) into the tenant's catalog; {@code POST}. */
  public JsonNode publishPackage(byte[] tgz) {
    return send("POST", "/api/packages", tgz, Duration.ofSeconds(60));
  }

  /** Installs a package sent as bytes; {@code POST /api/packages/install}. */
  public JsonNode installPackage(byte[] tgz) {
    return send("POST", "/api/packages/install", tgz, Duration.ofSeconds(60));
  }

  /**
   * Installs a catalog package; {@code POST /api/packages/{name}/install}.
   *
   * @param version the version, or null for the latest
   */
  public JsonNode installCatalogPackage(String name, String version) {
    return send(
        "POST",
        "/api/packages/"
            + segment(name)
            + "/install"
            + (version == null ? "" : "?version=" + segment(version)),
        null,
        Duration.ofSeconds(60));
  }

  /** The publisher keys the tenant trusts; {@code GET /api/package-publishers}. */
  public JsonNode packagePublishers() {
    return send("GET", "/api/package-publishers", null, Duration.ofSeconds(30));
  }

  /** Trusts a publisher key (its JWK); {@code PUT /api/package-publishers/{keyId}}. */
  public JsonNode trustPublisher(String keyId, JsonNode jwk) {
    return send("PUT", "/api/package-publishers/" + segment(keyId), jwk, Duration.ofSeconds(30));
  }

  /** Stops trusting a publisher key; {@code DELETE /api/package-publishers/{keyId}}. */
  public JsonNode removePublisher(String keyId) {
    return send(
        "DELETE", "/api/package-publishers/" + segment(keyId), null, Duration.ofSeconds(30));
  }

  private static String segment(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /**
   * Leases up to {@code maxTasks} tasks of {@code queues}, waiting up to {@code wait} (at most 30
   * s) for one; {@code POST /api/worker/poll}.
   */
  public List<WorkerTask> poll(String worker, List<String> queues, int maxTasks, Duration wait) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("worker", worker);
    body.put("queues", queues);
    body.put("max_tasks", maxTasks);
    body.put("wait_seconds", wait.toSeconds());
    JsonNode r = send("POST", "/api/worker/poll", body, wait.plusSeconds(30));
    List<WorkerTask> out = new ArrayList<>();
    r.path("tasks").forEach(t -> out.add(WorkerTask.of(t)));
    return out;
  }

  /** Extends the task's lease; returns its new end. */
  public Instant heartbeat(String taskId) {
    JsonNode r =
        send(
            "POST", "/api/worker/tasks/" + taskId + "/heartbeat", Map.of(), Duration.ofSeconds(30));
    return Instant.parse(r.path("lease_until").asText());
  }

  /** Completes the task with {@code outputs} (any JSON-shaped value); returns the step status. */
  public String complete(String taskId, String worker, Object outputs) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("worker", worker);
    body.put("outputs", outputs);
    return send("POST", "/api/worker/tasks/" + taskId + "/complete", body, Duration.ofSeconds(30))
        .path("step_status")
        .asText();
  }

  /** Fails the task; a retryable failure goes to the task's retry policy. */
  public String fail(String taskId, String worker, String error, boolean retryable) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("worker", worker);
    body.put("error", error);
    body.put("retryable", retryable);
    return send("POST", "/api/worker/tasks/" + taskId + "/fail", body, Duration.ofSeconds(30))
        .path("step_status")
        .asText();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
    // A support engineer's impersonation session (ADR 0044), named by MAESTRO_IMPERSONATION.
    String session = System.getenv("MAESTRO_IMPERSONATION");
    if (token != null && session != null && !session.isBlank()) {
      b.header("X-Maestro-Impersonation", session.strip());
    }
    // The trace this call belongs to (a worker's task span, or the leased task's context).
    String traceparent = Tracing.currentTraceParent();
    if (traceparent != null) {
      b.header(Tracing.TRACEPARENT, traceparent);
    }
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  /**
   * An answer as it came: status, content type and body. {@link #exchange} and {@link #open} return
   * it for callers that word problems themselves (the CLI).
   */
  public record Response(int status, String contentType, byte[] body) {
    public Response {
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }

  /**
   * Sends any request of the API and returns the answer whatever its status, without a request
   * timeout (exports and backups take as long as they take). The typed methods above are built the
   * same way; this is for routes without one yet.
   *
   * @param body null, a {@code byte[]} (sent as {@code contentType}), a {@code String} (as {@code
   *     contentType}, default JSON) or any value Jackson writes as JSON
   * @throws UncheckedIOException when the server cannot be reached (its cause says why, e.g. a
   *     {@link java.net.ConnectException})
   */
  public Response exchange(String method, String path, Object body, String contentType) {
    return exchange(method, path, body, contentType, Map.of());
  }

  /**
   * As {@link #exchange(String, String, Object, String)}, with {@code headers} added to the request
   * (a header that names another tenant, say, as the isolation probes send).
   */
  public Response exchange(
      String method, String path, Object body, String contentType, Map<String, String> headers) {
    try {
      HttpRequest.Builder b = request(path);
      headers.forEach(b::header);
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else if (body instanceof byte[] bytes) {
        b.header("Content-Type", contentType == null ? "application/octet-stream" : contentType);
        b.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
      } else if (body instanceof String text) {
        b.header("Content-Type", contentType == null ? "application/json" : contentType);
        b.method(method, HttpRequest.BodyPublishers.ofString(text));
      } else {
        b.header("Content-Type", "application/json");
        b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      }
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientInterruptedException(e);
    }
  }

  /** What reads a streamed answer: its status and the body as it arrives. */
  @FunctionalInterface
  public interface BodyReader<T> {
    T read(int status, java.io.InputStream body) throws IOException;
  }

  /**
   * GETs {@code path} and hands the body to {@code reader} as it arrives (NDJSON logs, exports),
   * without a request timeout.
   *
   * @throws UncheckedIOException when the server cannot be reached or the reader fails reading
   */
  public <T> T open(String path, BodyReader<T> reader) {
    try {
      HttpResponse<java.io.InputStream> r =
          http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream in = r.body()) {
        return reader.read(r.statusCode(), in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientInterruptedException(e);
    }
  }

  /** A failed answer as the problem it carries. */
  private static MaestroApiException problem(int status, byte[] body) throws IOException {
    JsonNode parsed = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    List<String> reasons = new ArrayList<>();
    parsed.path("reasons").forEach(x -> reasons.add(x.path("code").asText()));
    return new MaestroApiException(
        status,
        parsed.path("code").asText("http_" + status),
        parsed.path("detail").asText(""),
        reasons,
        parsed);
  }

  private JsonNode send(String method, String path, Object body, Duration timeout) {
    try {
      HttpRequest.Builder b = request(path).timeout(timeout).header("Accept", "application/json");
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else if (body instanceof byte[] bytes) {
        b.header("Content-Type", "application/gzip")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
      } else {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      }
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() / 100 != 2) {
        throw problem(r.statusCode(), r.body());
      }
      return r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientInterruptedException(e);
    }
  }

  /**
   * The calling thread was interrupted while waiting for the server (its interrupt flag is set).
   */
  public static final class ClientInterruptedException extends RuntimeException {
    ClientInterruptedException(InterruptedException cause) {
      super("interrupted while waiting for the server", cause);
    }
  }
}
