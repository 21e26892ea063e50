package io.maestro.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.cli.UserError;
import io.maestro.client.MaestroClient;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The calls of {@code login}, {@code token} and {@code whoami} over the Java client ({@link
 * MaestroClient}): JSON in and out, problems turned into one-line {@link UserError}s with the
 * server's detail, code and reasons.
 */
public final class AuthClient {
  static final ObjectMapper JSON = Json.MAPPER;

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
    MaestroClient client =
        token
            .map(t -> MaestroClient.of(base.toString(), t))
            .orElseGet(() -> MaestroClient.anonymous(base.toString()));
    MaestroClient.Response r;
    try {
      r = client.exchange(method, path, body, null);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof ConnectException) {
        throw new UserError(
            "no Maestro server at " + base + " (start one with `maestro server`, or set --url)");
      }
      throw new UserError("cannot reach " + base + ": " + e.getCause().getMessage());
    } catch (MaestroClient.ClientInterruptedException e) {
      throw new UserError("interrupted");
    }
    String text = new String(r.body(), StandardCharsets.UTF_8);
    JsonNode json = text.isBlank() ? JSON.createObjectNode() : parse(text);
    if (r.status() / 100 != 2) {
      throw new UserError(explain.apply(json).orElseGet(() -> problem(r.status(), json)));
    }
    return json;
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
