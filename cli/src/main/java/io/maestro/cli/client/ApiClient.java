package io.maestro.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.cli.UserError;
import io.maestro.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The HTTP API as the client commands call it, with the caller's bearer token. Problems from the
 * server become {@link UserError}s carrying the server's detail and code.
 */
public final class ApiClient {
  public static final ObjectMapper JSON = Json.MAPPER;

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final String token;

  public ApiClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /**
   * The bearer token, and the impersonation session the caller acts under when {@code
   * MAESTRO_IMPERSONATION} names one (a support engineer's session, ADR 0044).
   */
  private void authorize(HttpRequest.Builder b) {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    String session = System.getenv("MAESTRO_IMPERSONATION");
    if (session != null && !session.isBlank()) {
      b.header("X-Maestro-Impersonation", session.strip());
    }
  }

  /** A response: status and body (parsed JSON, or an empty object). */
  public record Reply(int status, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public String problem() {
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
   * Finds the caller's token: {@code --token}, {@code MAESTRO_TOKEN}, or the credentials {@code
   * maestro login} saved under {@code $MAESTRO_HOME}. Without one the command stops: it never
   * invents an identity (earlier versions provisioned a tenant called {@code dev}).
   */
  public static String token(Optional<String> flag, Path home) {
    return Credentials.bearer(flag, home).orElseThrow(() -> new UserError(NOT_LOGGED_IN));
  }

  public static final String NOT_LOGGED_IN = "not logged in — run maestro login";

  /** Sends a request and returns the body of a 2xx answer; otherwise fails as "{@code what}: …". */
  public JsonNode call(String method, String path, Object body, String what) {
    Reply r = send(method, path, body, null);
    if (!r.ok()) {
      throw new UserError(what + ": " + r.problem());
    }
    return r.body();
  }

  /** Copies the body of a GET to {@code sink} as it arrives (exports can be large). */
  public void download(String path, java.io.OutputStream sink, String what) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
      authorize(b);
      HttpResponse<java.io.InputStream> r =
          http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream in = r.body()) {
        if (r.statusCode() / 100 != 2) {
          String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          JsonNode problem = text.isBlank() ? JSON.createObjectNode() : parseOrEmpty(text);
          throw new UserError(what + ": " + new Reply(r.statusCode(), problem).problem());
        }
        in.transferTo(sink);
      }
    } catch (ConnectException e) {
      throw new UserError("cannot reach the server at " + base + " (is `maestro server` running?)");
    } catch (IOException e) {
      throw new UserError(what + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }

  /** The server's base URL. */
  public URI base() {
    return base;
  }

  public Reply get(String path) {
    return send("GET", path, null, null);
  }

  public Reply post(String path, Object body) {
    return send("POST", path, body, null);
  }

  public Reply putText(String path, String text, String contentType) {
    return send("PUT", path, text, contentType);
  }

  public Reply send(String method, String path, Object body, String contentType) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
      authorize(b);
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else if (body instanceof byte[] bytes) {
        b.header("Content-Type", contentType == null ? "application/octet-stream" : contentType);
        b.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
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
  public void followLogs(String runId, long after, Consumer<JsonNode> sink) {
    streamLines(
        "/api/runs/" + Paths.enc(runId) + "/logs?follow=true&after=" + after,
        sink,
        "cannot read the run log");
  }

  /** GETs an NDJSON resource and hands each line to {@code sink} as it arrives. */
  public void streamLines(String path, Consumer<JsonNode> sink, String what) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
      authorize(b);
      HttpResponse<java.io.InputStream> r =
          http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        if (r.statusCode() != 200) {
          String text = in.lines().collect(java.util.stream.Collectors.joining("\n"));
          JsonNode problem = text.isBlank() ? JSON.createObjectNode() : parseOrEmpty(text);
          throw new UserError(what + ": " + new Reply(r.statusCode(), problem).problem());
        }
        String line;
        while ((line = in.readLine()) != null) {
          if (!line.isBlank()) {
            sink.accept(JSON.readTree(line));
          }
        }
      }
    } catch (ConnectException e) {
      throw new UserError("cannot reach the server at " + base + " (is `maestro server` running?)");
    } catch (IOException e) {
      throw new UserError(what + ": the stream broke: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }

  private static JsonNode parseOrEmpty(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
