package io.maestro.server.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The drills' view of a server: plain HTTP as any client sees it, JSON in and out, bearer tokens,
 * and how long each answer took. Nothing here reaches into the server's process.
 */
public final class DrillHttp {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  /** One answer: status, parsed body (an empty object when there is none), time taken. */
  public record Reply(int status, JsonNode body, Duration took) {
    public String code() {
      return body.path("code").asText();
    }

    public String reasons() {
      StringBuilder sb = new StringBuilder();
      body.path("reasons")
          .forEach(r -> sb.append(sb.isEmpty() ? "" : ",").append(r.path("code").asText()));
      return sb.toString();
    }
  }

  public DrillHttp(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  public String base() {
    return base;
  }

  public Reply call(String method, String path, String token, Object body) {
    return call(method, path, token, body, "application/json");
  }

  public Reply call(String method, String path, String token, Object body, String type) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        b.header("Content-Type", type);
        b.method(
            method,
            HttpRequest.BodyPublishers.ofString(
                body instanceof String s ? s : Json.MAPPER.writeValueAsString(body)));
      }
      long start = System.nanoTime();
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      String ct = r.headers().firstValue("Content-Type").orElse("");
      JsonNode parsed =
          ct.contains("json") && r.body().length > 0
              ? Json.MAPPER.readTree(r.body())
              : Json.MAPPER.createObjectNode();
      return new Reply(r.statusCode(), parsed, took);
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + base + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A token from the server's dev issuer (dev mode, loopback callers), or empty without one. */
  public java.util.Optional<String> devToken(String tenant, String subject, String... roles) {
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
                java.util.List.of(roles),
                "create",
                true));
    return r.status() == 201
        ? java.util.Optional.of(r.body().path("token").asText())
        : java.util.Optional.empty();
  }
}
