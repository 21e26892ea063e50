package io.maestro.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.cli.UserError;
import io.maestro.client.MaestroClient;
import io.maestro.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The HTTP API as the client commands call it, with the caller's bearer token, over the Java client
 * ({@link MaestroClient}, module {@code client}): this class only words answers for the CLI.
 * Problems from the server become {@link UserError}s carrying the server's detail and code.
 */
public final class ApiClient {
  public static final ObjectMapper JSON = Json.MAPPER;

  private final URI base;
  private final MaestroClient client;

  /**
   * @param token the bearer token, or null for the public routes
   */
  public ApiClient(URI base, String token) {
    this.base = base;
    this.client =
        token == null
            ? MaestroClient.anonymous(base.toString())
            : MaestroClient.of(base.toString(), token);
  }

  /** A response: status and body (parsed JSON, or an empty object). */
  public record Reply(int status, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public String problem() {
      String detail = body.path("detail").asText(body.path("title").asText("HTTP " + status));
      String code = body.path("code").asText("");
      StringBuilder sb = new StringBuilder(Refusals.prefix(body)).append(detail);
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
    open(
        path,
        what,
        (status, in) -> {
          if (status / 100 != 2) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JsonNode problem = text.isBlank() ? JSON.createObjectNode() : parseOrEmpty(text);
            throw new UserError(what + ": " + new Reply(status, problem).problem());
          }
          in.transferTo(sink);
          return null;
        },
        "");
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
    MaestroClient.Response r;
    try {
      r = client.exchange(method, path, body, contentType);
    } catch (UncheckedIOException e) {
      throw failure(e, "request to " + base + path + " failed: ");
    } catch (MaestroClient.ClientInterruptedException e) {
      throw new UserError("interrupted");
    }
    byte[] bytes = r.body();
    JsonNode parsed;
    try {
      parsed =
          bytes.length == 0
                  || new String(bytes, StandardCharsets.UTF_8).isBlank()
                  || !r.contentType().contains("json")
              ? JSON.createObjectNode()
              : JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UserError("request to " + base + path + " failed: " + e.getMessage());
    }
    return new Reply(r.status(), parsed);
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
    open(
        path,
        what,
        (status, body) -> {
          try (BufferedReader in =
              new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            if (status != 200) {
              String text = in.lines().collect(java.util.stream.Collectors.joining("\n"));
              JsonNode problem = text.isBlank() ? JSON.createObjectNode() : parseOrEmpty(text);
              throw new UserError(what + ": " + new Reply(status, problem).problem());
            }
            String line;
            while ((line = in.readLine()) != null) {
              if (!line.isBlank()) {
                sink.accept(JSON.readTree(line));
              }
            }
          }
          return null;
        },
        "the stream broke: ");
  }

  /**
   * Opens a streamed GET; an I/O failure while reading is "{@code what}: {@code broke}message" (the
   * earlier wording of each caller).
   */
  private <T> T open(String path, String what, MaestroClient.BodyReader<T> reader, String broke) {
    try {
      return client.open(path, reader);
    } catch (UncheckedIOException e) {
      throw failure(e, what + ": " + broke);
    } catch (MaestroClient.ClientInterruptedException e) {
      throw new UserError("interrupted");
    }
  }

  /** An unreachable server is one line; any other I/O failure is {@code prefix} and its message. */
  private UserError failure(UncheckedIOException e, String prefix) {
    if (e.getCause() instanceof ConnectException) {
      return new UserError(
          "cannot reach the server at " + base + " (is `maestro server` running?)");
    }
    return new UserError(prefix + e.getCause().getMessage());
  }

  private static JsonNode parseOrEmpty(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
