package io.maestro.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A real dev-mode server on a free port with a throwaway data directory, and the API calls the
 * tests use to put data in it (as {@code maestro} would).
 */
final class ConsoleServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A workflow with one approval step that any workflow_reviewer (not the starter) can give. */
  static final String APPROVAL =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: gated, version: "1"}
      spec:
        tasks:
          - id: plan
            uses: core/log
            with: {message: planning}
          - id: approve
            uses: core/approval
            needs: [plan]
            with: {role: workflow_reviewer, approvals: 1, message: "ship it?"}
          - id: ship
            uses: core/log
            needs: [approve]
            with: {message: shipped}
      """;

  final MaestroServer server;
  final String base;

  private ConsoleServer(MaestroServer server) {
    this.server = server;
    this.base = "http://127.0.0.1:" + server.port();
  }

  static ConsoleServer start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /** As {@link #start(Path)}, with more configuration (e.g. a faster rollback controller). */
  static ConsoleServer start(Path dataDir, Map<String, String> extra) {
    return new ConsoleServer(MaestroServer.start(config(dataDir, extra)));
  }

  /** The dev-mode configuration {@link #start(Path, Map)} runs on (a drill runs on it too). */
  static io.maestro.core.config.MaestroConfig config(Path dataDir, Map<String, String> extra) {
    Map<String, String> settings = new java.util.HashMap<>(extra);
    settings.put("server.port", "0");
    settings.put("server.host", "127.0.0.1");
    settings.put("dataDir", dataDir.toString());
    settings.put("log.level", "WARN");
    settings.putIfAbsent("mode", "dev"); // "prod" for a server without the dev issuer
    return new ConfigLoader(Map.of(), dataDir).load(Optional.empty(), Map.copyOf(settings));
  }

  /** A dev token for {@code tenant} (created when missing) with one role. */
  String token(String tenant, String role) {
    String body =
        tenant == null
            ? "{\"roles\":[\"" + role + "\"]}"
            : "{\"tenant\":\"" + tenant + "\",\"roles\":[\"" + role + "\"],\"create\":true}";
    return call("POST", "/api/dev/token", null, body, "application/json").path("token").asText();
  }

  /** A dev token for a named user of {@code tenant} with one role. */
  String token(String tenant, String role, String subject) {
    return call(
            "POST",
            "/api/dev/token",
            null,
            "{\"tenant\":\""
                + tenant
                + "\",\"roles\":[\""
                + role
                + "\"],\"subject\":\""
                + subject
                + "\",\"create\":true}",
            "application/json")
        .path("token")
        .asText();
  }

  /** Publishes {@code manifest} as name@1 and starts a run of it; returns the run id. */
  String publishAndRun(String token, String name, String manifest) {
    call("PUT", "/api/workflows/" + name + "/versions/1", token, manifest, "application/yaml");
    call("POST", "/api/workflows/" + name + "/versions/1/publish", token, "{}", "application/json");
    return call("POST", "/api/runs", token, "{\"workflow\":\"" + name + "\"}", "application/json")
        .path("id")
        .asText();
  }

  /** Waits (bounded) until the run's step has {@code status}. */
  void awaitStep(String token, String run, String step, String status) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      for (JsonNode s : call("GET", "/api/runs/" + run, token, null, null).path("steps")) {
        if (s.path("id").asText().equals(step) && s.path("status").asText().equals(status)) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("step " + step + " of " + run + " never became " + status);
  }

  JsonNode call(String method, String path, String token, String body, String type) {
    HttpResponse<String> res =
        send(method, path, body, type, token == null ? null : "Bearer " + token, null);
    if (res.statusCode() >= 400) {
      throw new AssertionError(method + " " + path + " -> " + res.statusCode() + " " + res.body());
    }
    try {
      return res.body().isBlank() ? JSON.nullNode() : JSON.readTree(res.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A plain HTTP request to the console, without following redirects. */
  HttpResponse<String> page(String method, String path, String cookie, String form) {
    return send(
        method,
        path,
        form,
        form == null ? null : "application/x-www-form-urlencoded",
        null,
        cookie);
  }

  HttpResponse<String> send(
      String method, String path, String body, String type, String authorization, String cookie) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
