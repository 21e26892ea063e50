package io.maestro.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.http.HttpJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** A small HTTP client for tests: JSON in and out, bearer tokens, dev tokens. */
public final class Api {
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final List<Refusal> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A 403 this client received, with the request that got it. */
  public record Refusal(String request, JsonNode body) {}

  public Api(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** A response: status, parsed body (empty object when none) and headers. */
  public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    /**
     * The problem's members: the body, or for a SCIM error response (under /scim/v2) the Maestro
     * extension that carries them (ADR 0048).
     */
    public JsonNode problem() {
      JsonNode ext = body.path(io.maestro.server.http.ScimErrors.EXTENSION);
      return ext.isObject() ? ext : body;
    }

    public String code() {
      return problem().path("code").asText();
    }

    public List<String> reasonCodes() {
      List<String> out = new java.util.ArrayList<>();
      problem().path("reasons").forEach(r -> out.add(r.path("code").asText()));
      return out;
    }
  }

  public Reply call(String method, String path, String token, Object body) {
    return call(method, path, token, body, Map.of());
  }

  /**
   * As {@link #call(String, String, String, Object)}; a {@code byte[]} body is sent as it is, with
   * the {@code Content-Type} of {@code headers} (default {@code application/octet-stream}).
   */
  public Reply call(
      String method, String path, String token, Object body, Map<String, String> headers) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      headers.forEach(
          (k, v) -> {
            if (!k.equals("Content-Type")) {
              b.header(k, v);
            }
          });
      if (body instanceof byte[] bytes) {
        b.header("Content-Type", headers.getOrDefault("Content-Type", "application/octet-stream"));
        b.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
      } else if (body != null) {
        b.header("Content-Type", "application/json");
        b.method(
            method,
            HttpRequest.BodyPublishers.ofString(
                body instanceof String s ? s : HttpJson.MAPPER.writeValueAsString(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      // Only JSON documents are parsed; NDJSON streams (exports, run logs) stay in raw().
      String type = r.headers().firstValue("Content-Type").orElse("");
      boolean json = type.startsWith("application/json") || type.contains("+json");
      JsonNode parsed =
          r.body().isBlank() || !json
              ? HttpJson.MAPPER.createObjectNode()
              : HttpJson.MAPPER.readTree(r.body());
      Reply reply = new Reply(r.statusCode(), parsed, r);
      if (r.statusCode() == 403) {
        refusals.add(new Refusal(method + " " + path, reply.problem()));
      }
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every 403 this client received, in order. */
  public List<Refusal> refusals() {
    return List.copyOf(refusals);
  }

  /** Saves {@code yaml} as workflow {@code name} version {@code version} and publishes it. */
  public void publish(String token, String name, String version, String yaml) {
    String path = "/api/workflows/" + name + "/versions/" + version;
    Reply put =
        call(
            "PUT",
            path,
            token,
            yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/yaml"));
    if (put.status() != 201) {
      throw new IllegalStateException("saving " + path + ": " + put.status() + " " + put.body());
    }
    Reply pub = call("POST", path + "/publish", token, null);
    if (pub.status() != 200) {
      throw new IllegalStateException("publishing " + path + ": " + pub.status() + pub.body());
    }
  }

  /**
   * A dev token of an external worker of {@code tenant} holding {@code queues} (space-separated).
   */
  public String workerToken(String tenant, String subject, String queues) {
    Reply r =
        call(
            "POST",
            "/api/dev/token",
            null,
            Map.of(
                "tenant",
                tenant,
                "subject",
                subject,
                "roles",
                List.of("worker"),
                "attributes",
                Map.of("worker_queues", queues)));
    if (r.status() != 201) {
      throw new IllegalStateException("dev token failed: " + r.status() + " " + r.body());
    }
    return r.body().path("token").asText();
  }

  /** A dev token; {@code tenant} null makes a token without {@code tenant_id}. */
  public String token(String tenant, String subject, String... roles) {
    Map<String, Object> req = new java.util.LinkedHashMap<>();
    if (tenant != null) {
      req.put("tenant", tenant);
    }
    req.put("subject", subject);
    req.put("roles", List.of(roles));
    Reply r = call("POST", "/api/dev/token", null, req);
    if (r.status() != 201) {
      throw new IllegalStateException("dev token failed: " + r.status() + " " + r.body());
    }
    return r.body().path("token").asText();
  }
}
