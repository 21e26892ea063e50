package io.maestro.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** State-changing requests beyond the lane's places wait their turn, then are refused unrun. */
class WriteLaneTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aRequestBeyondThePlaces_waitsThenIsRefusedServerBusyWithoutRunning() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    Handler slow =
        (req, res) -> {
          ran.incrementAndGet();
          entered.countDown();
          release.await(10, TimeUnit.SECONDS);
          res.send("done");
        };
    WriteLane lane = new WriteLane(1, Duration.ofMillis(300));
    WebServer web =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .routing(
                r -> {
                  r.error(Throwable.class, Problems::handle);
                  r.post("/w", lane.wrap(slow));
                })
            .build()
            .start();
    try {
      CompletableFuture<HttpResponse<String>> first = post(web, "/w");
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      HttpResponse<String> second = post(web, "/w").get(10, TimeUnit.SECONDS);
      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(second.headers().firstValue("Retry-After")).contains("1");
      assertThat(second.body()).contains("\"code\":\"server_busy\"");
      assertThat(ran).hasValue(1);

      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      HttpResponse<String> third = post(web, "/w").get(10, TimeUnit.SECONDS);
      assertThat(third.statusCode()).isEqualTo(200);
      assertThat(ran).hasValue(2);
    } finally {
      release.countDown();
      web.stop();
    }
  }

  @Test
  void readsPublicRoutesAndTheWorkersLongPoll_takeNoPlace() {
    WriteLane lane = WriteLane.forPool(16);
    Handler h = (req, res) -> res.send("");
    assertThat(lane.applies(Route.post("/api/runs", "run.start", h))).isTrue();
    assertThat(lane.applies(Route.delete("/api/runs/{id}", "run.cancel", h))).isTrue();
    assertThat(lane.applies(Route.get("/api/runs/{id}", "run.read", h))).isFalse();
    assertThat(lane.applies(Route.post("/api/dev/token", "public", h))).isFalse();
    assertThat(lane.applies(Route.post("/api/worker/poll", "worker.poll", h))).isFalse();
  }

  private CompletableFuture<HttpResponse<String>> post(WebServer web, String path) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
