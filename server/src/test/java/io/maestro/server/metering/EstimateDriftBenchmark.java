package io.maestro.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.TenantId;
import io.maestro.metering.Metering;
import io.maestro.metering.RunEstimate;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.store.TenantScope;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Estimate drift over repeated runs of the example workflows: each workflow is published from
 * {@code examples/} and run N times one after another through the real server (HTTP, H2); for every
 * run the estimate it was admitted with is compared with what it actually cost (its cost lines,
 * read through the metering API once it ended). Reports the share of runs within ±10% of their
 * estimate, over all runs and over the runs that had history (all but each workflow's first). Not a
 * test: run it by hand (see {@code metering/README.md}).
 *
 * <p>Arguments: runs per workflow (default 10), then the example files (default hello.yaml,
 * retry.yaml, parent.yaml) relative to {@code examples/}.
 */
public final class EstimateDriftBenchmark {
  private EstimateDriftBenchmark() {}

  record Sample(String workflow, int index, BigDecimal estimate, BigDecimal actual, String basis) {
    BigDecimal drift() {
      return actual.subtract(estimate).abs().divide(estimate, MathContext.DECIMAL64);
    }
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<String> files =
        args.length > 1
            ? List.of(args).subList(1, args.length)
            : List.of("hello.yaml", "retry.yaml", "parent.yaml");
    Path examples = Path.of("..", "examples");
    Path dir = Files.createTempDirectory("drift-bench");
    List<Sample> samples = new ArrayList<>();
    try (MaestroServer server = TestServers.start(dir)) {
      Api api = new Api(server.port());
      String admin = api.token("drift", "bench@drift", "tenant_admin");
      // hello is the child of parent: publish it first, whatever the order asked.
      List<String> publish = new ArrayList<>(files);
      if (publish.contains("parent.yaml") && !publish.contains("hello.yaml")) {
        publish.add(0, "hello.yaml");
      }
      for (String f : publish) {
        publish(server.port(), admin, Files.readString(examples.resolve(f)), api);
      }
      Metering metering = Metering.standard();
      TenantId tenant = TenantId.of("drift");
      for (String f : files) {
        String name = name(Files.readString(examples.resolve(f)));
        for (int i = 0; i < n; i++) {
          Api.Reply started = api.call("POST", "/api/runs", admin, Map.of("workflow", name));
          if (started.status() != 202) {
            throw new IllegalStateException("cannot start " + name + ": " + started.body());
          }
          String runId = started.body().path("id").asText();
          awaitEnd(api, admin, runId);
          var pair =
              server
                  .database()
                  .inTransaction(
                      TenantScope.of(tenant),
                      tx -> {
                        RunEstimate e = metering.estimateOf(tx, tenant, runId).orElseThrow();
                        return new Object[] {e, metering.runCost(tx, tenant, runId).costUsd()};
                      });
          RunEstimate e = (RunEstimate) pair[0];
          samples.add(new Sample(name, i, e.estimatedUsd(), (BigDecimal) pair[1], e.basis()));
        }
      }
    }
    report(samples, n);
  }

  static void report(List<Sample> samples, int n) {
    System.out.printf(
        "%-14s %4s %-9s %14s %14s %9s%n",
        "workflow", "run", "basis", "estimate", "actual", "drift");
    for (Sample s : samples) {
      System.out.printf(
          "%-14s %4d %-9s %14s %14s %8.2f%%%n",
          s.workflow(),
          s.index(),
          s.basis(),
          s.estimate().toPlainString(),
          s.actual().toPlainString(),
          s.drift().doubleValue() * 100);
    }
    BigDecimal tolerance = new BigDecimal("0.10");
    long within = samples.stream().filter(s -> s.drift().compareTo(tolerance) <= 0).count();
    List<Sample> warm = samples.stream().filter(s -> s.index() > 0).toList();
    long warmWithin = warm.stream().filter(s -> s.drift().compareTo(tolerance) <= 0).count();
    System.out.printf(
        "within ±10%%: %d of %d runs (%.1f%%); runs with history: %d of %d (%.1f%%); %d runs per"
            + " workflow%n",
        within,
        samples.size(),
        100.0 * within / samples.size(),
        warmWithin,
        warm.size(),
        warm.isEmpty() ? 0.0 : 100.0 * warmWithin / warm.size(),
        n);
  }

  static String name(String manifest) {
    for (String line : manifest.lines().toList()) {
      String t = line.strip();
      if (t.startsWith("name:") && line.startsWith("  name:")) {
        return t.substring("name:".length()).strip();
      }
    }
    throw new IllegalArgumentException("no metadata.name");
  }

  static void publish(int port, String token, String manifest, Api api) throws Exception {
    String name = name(manifest);
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + port + "/api/workflows/" + name + "/versions/1"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() / 100 != 2) {
      throw new IllegalStateException("cannot save " + name + ": " + put.body());
    }
    Api.Reply p = api.call("POST", "/api/workflows/" + name + "/versions/1/publish", token, null);
    if (p.status() != 200) {
      throw new IllegalStateException("cannot publish " + name + ": " + p.body());
    }
  }

  static void awaitEnd(Api api, String token, String runId) throws InterruptedException {
    for (int i = 0; i < 3000; i++) {
      JsonNode run = api.call("GET", "/api/runs/" + runId, token, null).body();
      String status = run.path("status").asText();
      if (List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(status)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("run " + runId + " did not end in 150 s");
  }
}
