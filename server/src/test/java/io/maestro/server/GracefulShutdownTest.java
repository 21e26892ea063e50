package io.maestro.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.maestro.core.config.MaestroConfig;
import io.maestro.server.http.ApiRouter;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HeaderDeadline;
import io.maestro.server.http.Route;
import io.maestro.server.metrics.MetricsService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A request in flight when the server stops still gets its answer. */
class GracefulShutdownTest {
  @Test
  void stop_letsInFlightRequestsFinish() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ApiService slow =
        () ->
            List.of(
                Route.get(
                    "/slow",
                    "public",
                    (req, res) -> {
                      entered.countDown();
                      release.await(10, TimeUnit.SECONDS);
                      res.send("done");
                    }));
    MetricsService metrics = new MetricsService();
    MaestroConfig.Server config =
        new MaestroConfig.Server("127.0.0.1", 0, 1024, Duration.ofSeconds(2));
    HeaderDeadline headers = new HeaderDeadline(config.idleTimeout());
    WebServer web =
        MaestroServer.webServer(config, new ApiRouter(List.of(slow)), metrics, headers).start();
    CompletableFuture<HttpResponse<String>> inFlight =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/slow"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    Thread stopper = Thread.ofVirtual().start(web::stop);
    release.countDown();
    HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
    stopper.join();
    metrics.close();
    headers.close();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("done");
    assertThat(web.isRunning()).isFalse();
  }
}
