package io.maestro.server.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.auth.Api;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A budget is a reservation (ADR 0030): N starts sent at once against a daily budget that fits only
 * k of their estimates admit exactly k, the others are refused with {@code budget_exceeded} as
 * policy decisions that name what the admitted runs reserve, and a run that ends gives back what
 * its reservation still held. Runs wait at an approval gate, so their reservations stay held while
 * the starts race.
 */
abstract class BudgetReservationContract {
  static final int STARTS = 8;
  static final int FIT = 3;

  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: reserved, version: "1"}
      spec:
        tasks:
          - {id: gate, uses: core/approval, with: {role: workflow_reviewer}}
          - {id: after, uses: core/log, needs: [gate], with: {message: "done"}}
      """;

  @TempDir Path dir;

  abstract MaestroServer start(Path dataDir);

  void stop(MaestroServer server) {
    server.close();
  }

  @Test
  void concurrentStarts_againstABudgetThatFitsK_admitExactlyK() throws Exception {
    MaestroServer server = start(dir);
    try {
      Api api = new Api(server.port());
      String admin = api.token("acme", "ada@acme", "tenant_admin");
      String operator = api.token("acme", "otto@acme", "operator");
      publish(server.port(), admin, "reserved", MANIFEST);

      JsonNode plan =
          api.call("POST", "/api/plan", operator, Map.of("workflow", "reserved")).body();
      BigDecimal estimate = plan.path("estimatedCostUSD").decimalValue();
      assertThat(estimate).isPositive();
      JsonNode before = api.call("GET", "/api/tenants/acme/budget", admin, null).body();
      BigDecimal spent = before.path("spentUSD").decimalValue();
      assertThat(before.path("reservedUSD").decimalValue()).isZero();
      // Room for FIT estimates and half of one more.
      BigDecimal cap =
          spent
              .add(estimate.multiply(BigDecimal.valueOf(FIT)))
              .add(estimate.divide(BigDecimal.TWO, 9, RoundingMode.DOWN))
              .setScale(6, RoundingMode.DOWN);
      Map<String, Object> body = new HashMap<>();
      body.put("dailyMaxUSD", cap);
      body.put("monthlyMaxUSD", null);
      assertThat(api.call("PUT", "/api/tenants/acme/budget", admin, body).status()).isEqualTo(200);

      List<Api.Reply> replies = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      try (ExecutorService pool = Executors.newFixedThreadPool(STARTS)) {
        List<Future<Api.Reply>> futures = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
          futures.add(
              pool.submit(
                  () -> {
                    go.await();
                    return api.call("POST", "/api/runs", operator, Map.of("workflow", "reserved"));
                  }));
        }
        go.countDown();
        for (Future<Api.Reply> f : futures) {
          replies.add(f.get());
        }
      }
      List<Api.Reply> admitted = replies.stream().filter(r -> r.status() == 202).toList();
      List<Api.Reply> refused = replies.stream().filter(r -> r.status() != 202).toList();
      assertThat(admitted).as("admitted starts of %s", replies).hasSize(FIT);
      assertThat(refused).hasSize(STARTS - FIT);
      for (Api.Reply r : refused) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("budget_exceeded");
        assertThat(r.body().path("decision_id").asText()).isNotBlank();
        assertThat(r.body().toString()).contains("USD reserved by runs in progress");
      }

      JsonNode during = api.call("GET", "/api/tenants/acme/budget", admin, null).body();
      BigDecimal committed =
          during.path("spentUSD").decimalValue().add(during.path("reservedUSD").decimalValue());
      assertThat(committed).as("spent plus reserved never passes the cap").isLessThanOrEqualTo(cap);
      assertThat(during.path("reservedUSD").decimalValue()).isPositive();

      // Each refusal is a logged, receipted policy decision under the id it was answered with.
      JsonNode denied =
          api.call("GET", "/api/receipts?type=policy.denied&limit=100", admin, null)
              .body()
              .path("receipts");
      List<String> deniedIds = new ArrayList<>();
      denied.forEach(d -> deniedIds.add(d.path("decision").path("id").asText()));
      for (Api.Reply r : refused) {
        assertThat(deniedIds).contains(r.body().path("decision_id").asText());
      }

      // Cancelling the admitted runs releases what their reservations still held.
      for (Api.Reply r : admitted) {
        String id = r.body().path("id").asText();
        Api.Reply cancelled = api.call("POST", "/api/runs/" + id + "/cancel", admin, Map.of());
        assertThat(cancelled.status()).as(cancelled.body().toString()).isBetween(200, 202);
      }
      BigDecimal reserved = BigDecimal.ONE;
      for (int i = 0; i < 500 && reserved.signum() > 0; i++) {
        Thread.sleep(20);
        reserved =
            api.call("GET", "/api/tenants/acme/budget", admin, null)
                .body()
                .path("reservedUSD")
                .decimalValue();
      }
      assertThat(reserved).as("reserved after every admitted run ended").isZero();
      // What the runs cost is spent now, nothing is reserved: a refusal says only what was spent.
      Api.Reply next = api.call("POST", "/api/runs", operator, Map.of("workflow", "reserved"));
      assertThat(next.code()).as(next.body().toString()).isEqualTo("budget_exceeded");
      assertThat(next.body().path("detail").asText())
          .contains("USD spent exceeds the daily budget")
          .doesNotContain("reserved");
    } finally {
      stop(server);
    }
  }

  static void publish(int port, String admin, String name, String manifest) throws Exception {
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + port + "/api/workflows/" + name + "/versions/1"))
                    .header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    HttpResponse<String> pub =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port
                                + "/api/workflows/"
                                + name
                                + "/versions/1/publish"))
                    .header("Authorization", "Bearer " + admin)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(pub.statusCode()).as(pub.body()).isEqualTo(200);
  }
}
