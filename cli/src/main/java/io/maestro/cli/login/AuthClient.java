package io.maestro.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.cli.UserError;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The calls of {@code login}, {@code token} and {@code whoami}: JSON in and out, problems turned
 * into one-line {@link UserError}s with the server's detail, code and reasons.
 */
public final class AuthClient {
  static final ObjectMapper JSON = Json.MAPPER;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  public AuthClient(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /** Calls the server and returns the JSON body of a 2xx answer. */
  public JsonNode call(String method, String path, Object body, Optional<String> token) {
    return call(method, path, body, token, p -> Optional.empty());
  }

  /**
   * Calls the server and returns the JSON body of a 2xx answer; {@code explain} may turn a problem
   * into a message in the caller's terms (its flags), else the server's detail is shown.
   */
  public JsonNode call(
      String method,
      String path,
      Object body,
      Optional<String> token,
      java.util.function.Function<JsonNode, Optional<String>> explain) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
      token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
      if (body != null) {
        b.header("Content-Type", "application/json");
        b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = r.body().isBlank() ? JSON.createObjectNode() : parse(r.body());
      if (r.statusCode() / 100 != 2) {
        throw new UserError(explain.apply(json).orElseGet(() -> problem(r.statusCode(), json)));
      }
      return json;
    } catch (ConnectException e) {
      throw new UserError(
          "no Maestro server at " + base + " (start one with `maestro server`, or set --url)");
    } catch (IOException e) {
      throw new UserError("cannot reach " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  static String problem(int status, JsonNode p) {
    StringBuilder sb =
        new StringBuilder(p.path("detail").asText(p.path("title").asText("HTTP " + status)));
    if (p.hasNonNull("code")) {
      sb.append(" (").append(p.get("code").asText()).append(')');
    }
    for (JsonNode r : p.path("reasons")) {
      sb.append("\n  - ").append(r.path("code").asText()).append(": ");
      sb.append(r.path("message").asText());
    }
    if (p.hasNonNull("decision_id")) {
      sb.append("\n  decision ").append(p.get("decision_id").asText());
    }
    return sb.toString();
  }
}
