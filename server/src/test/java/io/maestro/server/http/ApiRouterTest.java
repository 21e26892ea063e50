package io.maestro.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.maestro.server.metrics.MetricsService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Body handling at the edge: content types, malformed JSON, size limits, unexpected errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRouterTest {
  WebServer web;
  MetricsService metrics;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    ApiService echo =
        () ->
            List.of(
                Route.post(
                    "/echo/{id}",
                    "test.echo",
                    (req, res) ->
                        HttpJson.ok(
                            res,
                            java.util.Map.of(
                                "id", req.path().pathParameters().get("id"),
                                "body", HttpJson.read(req)))),
                Route.get(
                    "/slow",
                    "test.slow",
                    (req, res) -> {
                      ServerTiming.Recorder r = ServerTiming.recorder(req);
                      r.add("api", 2_000_000);
                      r.add("api", 1_500_000);
                      Thread.sleep(30);
                      HttpJson.ok(res, java.util.Map.of("slept", 30));
                    }),
                Route.get(
                    "/boom",
                    "test.boom",
                    (req, res) -> {
                      throw new IllegalStateException("secret internal detail");
                    }));
    metrics = new MetricsService();
    ApiRouter router = new ApiRouter(List.of(echo));
    web =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownHook(false)
            .routing(r -> router.configure(r, metrics, 64))
            .build()
            .start();
  }

  @AfterAll
  void stop() {
    web.stop();
    metrics.close();
  }

  HttpResponse<String> post(String path, String body, String type) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode problem(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    return HttpJson.MAPPER.readTree(r.body());
  }

  @Test
  void everyResponseSaysTheServersTime_andWhatTheHandlerAdded() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/slow")).build(),
            HttpResponse.BodyHandlers.ofString());
    String timing = r.headers().firstValue("Server-Timing").orElseThrow();
    assertThat(timing).matches("app;dur=[0-9]+\\.[0-9]{2}, api;dur=3\\.50;desc=\"2\"");
    assertThat(ServerTiming.appNanos(timing).orElseThrow()).isGreaterThanOrEqualTo(30_000_000L);

    HttpResponse<String> refused = post("/echo/1", "{", "application/json");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(ServerTiming.appNanos(refused.headers().firstValue("Server-Timing").orElseThrow()))
        .as("a problem says it too")
        .isPresent();
    assertThat(ServerTiming.appNanos("cache;dur=1, app;desc=\"x\";dur=2.5")).contains(2_500_000L);
    assertThat(ServerTiming.appNanos("api;dur=7")).isEmpty();
    assertThat(ServerTiming.appNanos(null)).isEmpty();
  }

  @Test
  void validJson_reachesTheHandlerWithPathParameters() throws Exception {
    HttpResponse<String> r = post("/echo/42", "{\"a\":1}", "application/json");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = HttpJson.MAPPER.readTree(r.body());
    assertThat(body.path("id").asText()).isEqualTo("42");
    assertThat(body.path("body").path("a").asInt()).isEqualTo(1);
  }

  @Test
  void malformedJson_is400WithStableCode() throws Exception {
    HttpResponse<String> r = post("/echo/1", "{\"a\":", "application/json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(problem(r).path("code").asText()).isEqualTo("malformed_json");
  }

  @Test
  void wrongContentType_is415() throws Exception {
    HttpResponse<String> r = post("/echo/1", "a=1", "application/x-www-form-urlencoded");
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(problem(r).path("code").asText()).isEqualTo("unsupported_media_type");
  }

  @Test
  void oversizedBody_is413() throws Exception {
    HttpResponse<String> r =
        post("/echo/1", "{\"a\":\"" + "x".repeat(200) + "\"}", "application/json");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(problem(r).path("code").asText()).isEqualTo("payload_too_large");
  }

  @Test
  void unexpectedError_is500WithoutInternals() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/boom")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(problem(r).path("code").asText()).isEqualTo("internal_error");
    assertThat(r.body()).doesNotContain("secret internal detail").doesNotContain("Exception");
  }

  @Test
  void duplicateRoutes_areRejectedAtStart() {
    ApiService a = () -> List.of(Route.get("/x", "public", (req, res) -> res.send()));
    assertThatThrownBy(() -> new ApiRouter(List.of(a, a)))
        .hasMessageContaining("route declared twice: GET /x");
  }
}
