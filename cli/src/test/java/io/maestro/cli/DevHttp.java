package io.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Plain HTTP calls to a server under test, and dev tokens from its {@code /api/dev/token}. */
public final class DevHttp {
  private DevHttp() {}

  public static HttpResponse<String> send(
      String url, String method, String path, String token, String type, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (type != null) {
      b.header("Content-Type", type);
    }
    b.method(method, HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A dev token for {@code req} ({@code tenant}, {@code subject}, {@code roles}, …). */
  public static String token(String url, Map<String, Object> req) throws Exception {
    HttpResponse<String> r =
        send(
            url,
            "POST",
            "/api/dev/token",
            null,
            "application/json",
            Json.MAPPER.writeValueAsString(req));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Json.MAPPER.readTree(r.body()).path("token").asText();
  }
}
