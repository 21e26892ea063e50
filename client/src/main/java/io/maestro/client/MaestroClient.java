package io.maestro.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.core.json.Json;
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
 * A small typed client for the Maestro HTTP API (java.net.http): starting and reading runs, and the
 * worker routes ({@code /api/worker/…}). Every call sends the bearer token; any answer that is not
 * a success becomes a {@link MaestroApiException} with the problem's stable code. Thread-safe: one
 * instance serves any number of threads.
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

  /**
   * @param baseUrl the server, e.g. {@code http://127.0.0.1:8080}
   * @param token a bearer token (for workers: a tenant token with the {@code worker} role)
   */
  public static MaestroClient of(String baseUrl, String token) {
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

  private JsonNode send(String method, String path, Object body, Duration timeout) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(timeout)
              .header("Authorization", "Bearer " + token)
              .header("Accept", "application/json");
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      }
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode parsed = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
      if (r.statusCode() / 100 != 2) {
        List<String> reasons = new ArrayList<>();
        parsed.path("reasons").forEach(x -> reasons.add(x.path("code").asText()));
        throw new MaestroApiException(
            r.statusCode(),
            parsed.path("code").asText("http_" + r.statusCode()),
            parsed.path("detail").asText(""),
            reasons,
            parsed);
      }
      return parsed;
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
