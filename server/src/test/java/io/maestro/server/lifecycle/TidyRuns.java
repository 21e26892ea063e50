package io.maestro.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.auth.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The two-step workflow the lifecycle tests run to have data to purge or expire. */
final class TidyRuns {
  private TidyRuns() {}

  /** Publishes {@code tidy@1} in the token's tenant. */
  static void publish(Api api, int port, String token) throws Exception {
    String manifest =
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: tidy, version: "1"}
        spec:
          tasks:
            - {id: a, uses: core/log, with: {message: "first"}}
            - {id: b, uses: core/log, needs: [a], with: {message: "second"}}
        """;
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/workflows/tidy/versions/1"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(api.call("POST", "/api/workflows/tidy/versions/1/publish", token, null).status())
        .isEqualTo(200);
  }

  /** Waits until the token's tenant has at least {@code n} succeeded runs. */
  static void awaitSucceeded(Api api, String token, int n) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      JsonNode runs = api.call("GET", "/api/runs?status=SUCCEEDED", token, null).body();
      if (runs.path("items").size() >= n) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the runs never finished");
  }
}
