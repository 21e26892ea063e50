package io.maestro.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.http.HttpJson;
import io.maestro.server.openapi.OpenApiService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The real server on the embedded database, called over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaestroServerTest {
  @TempDir static Path dir;
  MaestroServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    server = TestServers.start(dir);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  HttpResponse<String> call(String method, String path, String body, String contentType)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthz_isAlive() throws Exception {
    HttpResponse<String> r = call("GET", "/healthz", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"ok\"");
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void readyz_reportsTheDatabaseCheck() throws Exception {
    HttpResponse<String> r = call("GET", "/readyz", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = HttpJson.MAPPER.readTree(r.body());
    assertThat(body.path("status").asText()).isEqualTo("ready");
    assertThat(body.path("checks").path("database").asText()).isEqualTo("ok");
  }

  @Test
  void unknownRoute_isAProblemWithAStableCode() throws Exception {
    HttpResponse<String> r = call("GET", "/nope", null, null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode body = HttpJson.MAPPER.readTree(r.body());
    assertThat(body.path("code").asText()).isEqualTo("route_not_found");
    assertThat(body.path("status").asInt()).isEqualTo(404);
    assertThat(body.path("request_id").asText())
        .isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
  }

  @Test
  void wrongMethod_isMethodNotAllowedWithAllow() throws Exception {
    HttpResponse<String> r = call("DELETE", "/healthz", null, null);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("GET");
    assertThat(HttpJson.MAPPER.readTree(r.body()).path("code").asText())
        .isEqualTo("method_not_allowed");
  }

  @Test
  void requestId_fromTheCallerIsEchoed() throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
            .header("X-Request-Id", "abc-123")
            .build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("X-Request-Id")).hasValue("abc-123");
  }

  @Test
  void metrics_exposeJvmPoolAndRouteTemplates() throws Exception {
    call("GET", "/healthz", null, null);
    HttpResponse<String> r = call("GET", "/metrics", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("jvm_memory_used_bytes")
        .contains("hikaricp_connections")
        .contains(
            "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/healthz\"}");
  }

  @Test
  void openapi_listsExactlyTheServedRoutes() throws Exception {
    HttpResponse<String> r = call("GET", "/openapi.json", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode doc = HttpJson.MAPPER.readTree(r.body());
    assertThat(doc.path("openapi").asText()).startsWith("3.1");
    List<String> documented = OpenApiService.operations(doc);
    List<String> served =
        server.routes().stream().map(rt -> rt.method().text() + " " + rt.path()).toList();
    assertThat(served)
        .as("every served route is in docs/api/openapi.yaml and vice versa")
        .containsExactlyInAnyOrderElementsOf(documented);
  }
}
