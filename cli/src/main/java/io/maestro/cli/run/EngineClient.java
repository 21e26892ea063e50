package io.maestro.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.cli.UserError;
import io.maestro.cli.login.Credentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The few calls {@code maestro run} and {@code maestro status} make, with the caller's bearer
 * token. Problems from the server become {@link UserError}s carrying the server's detail and code.
 */
final class EngineClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private String token;

  EngineClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A response: status and body (parsed JSON, or an empty object). */
  record Reply(int status, JsonNode body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    String problem() {
      String detail = body.path("detail").asText(body.path("title").asText("HTTP " + status));
      String code = body.path("code").asText("");
      StringBuilder sb = new StringBuilder(detail);
      if (!code.isEmpty()) {
        sb.append(" (").append(code).append(')');
      }
      body.path("errors")
          .forEach(
              e -> {
                sb.append("\n  ").append(e.path("path").asText());
                if (e.has("line")) {
                  sb.append(" (").append(e.path("line").asInt()).append(':');
                  sb.append(e.path("column").asInt()).append(')');
                }
                sb.append(": ").append(e.isTextual() ? e.asText() : e.path("message").asText());
              });
      return sb.toString();
    }
  }

  /**
   * Finds a token: {@code --token}, {@code MAESTRO_TOKEN}, the credentials {@code maestro login}
   * saved under {@code $MAESTRO_HOME}; failing those, asks a dev-mode server on this machine for
   * one (tenant admin of {@code tenant}).
   */
  static String token(
      Optional<String> flag, Path home, URI base, String tenant, Consumer<String> note) {
    Optional<String> known = Credentials.bearer(flag, home);
    if (known.isPresent()) {
      return known.get();
    }
    Path file = Credentials.file(home);
    EngineClient anon = new EngineClient(base, null);
    Reply r =
        anon.send(
            "POST",
            "/api/dev/token",
            Map.of(
                "tenant",
                tenant,
                "subject",
                "dev@" + tenant,
                "roles",
                java.util.List.of("tenant_admin")),
            null);
    if (!r.ok()) {
      throw new UserError(
          "no credentials: pass --token, set MAESTRO_TOKEN or run maestro login (looked for "
              + file
              + ")"
              + " (the dev token issuer said: "
              + r.problem()
              + ")");
    }
    note.accept("using a dev token for tenant " + tenant + " (subject dev@" + tenant + ")");
    return r.body().path("token").asText();
  }

  Reply get(String path) {
    return send("GET", path, null, null);
  }

  Reply post(String path, Object body) {
    return send("POST", path, body, null);
  }

  Reply putText(String path, String text, String contentType) {
    return send("PUT", path, text, contentType);
  }

  Reply send(String method, String path, Object body, String contentType) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else if (body instanceof String s) {
        b.header("Content-Type", contentType == null ? "application/json" : contentType);
        b.method(method, HttpRequest.BodyPublishers.ofString(s));
      } else {
        b.header("Content-Type", "application/json");
        b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode parsed =
          r.body().isBlank() || !r.headers().firstValue("Content-Type").orElse("").contains("json")
              ? JSON.createObjectNode()
              : JSON.readTree(r.body());
      return new Reply(r.statusCode(), parsed);
    } catch (ConnectException e) {
      throw new UserError("cannot reach the server at " + base + " (is `maestro server` running?)");
    } catch (IOException e) {
      throw new UserError("request to " + base + path + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }

  /** Streams the run log (NDJSON, follow mode), handing each line to {@code sink}. */
  void followLogs(String runId, long after, Consumer<JsonNode> sink) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(
                  base.resolve(
                      "/api/runs/"
                          + URLEncoder.encode(runId, StandardCharsets.UTF_8)
                          + "/logs?follow=true&after="
                          + after))
              .header("Authorization", "Bearer " + token)
              .build();
      HttpResponse<java.io.InputStream> r =
          http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        if (r.statusCode() != 200) {
          throw new UserError("cannot read the run log: HTTP " + r.statusCode());
        }
        String line;
        while ((line = in.readLine()) != null) {
          if (!line.isBlank()) {
            sink.accept(JSON.readTree(line));
          }
        }
      }
    } catch (IOException e) {
      throw new UserError("the log stream broke: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }
}
