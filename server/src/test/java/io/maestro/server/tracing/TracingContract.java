package io.maestro.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.client.MaestroClient;
import io.maestro.client.Worker;
import io.maestro.core.config.MaestroConfig;
import io.maestro.server.MaestroServer;
import io.maestro.server.auth.Api;
import io.maestro.server.tracing.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenTelemetry tracing end to end (ADR 0045): a real server exports over OTLP/HTTP to a receiver
 * started here, and one governed run arrives as one trace — the caller's span, the HTTP request,
 * its policy decision and transactions, then each step attempt under the transaction that enqueued
 * it, and the attempts' own transactions — with tenant, run and decision ids and nothing secret. An
 * external worker's step joins the same trace: the lease hands the worker the run's {@code
 * traceparent}, the Java SDK's span continues it, and the worker's report is a child of that span.
 * The queue rows keep the context in the database, so each backend runs the contract ({@link
 * TracingTest} on H2, {@link TracingPostgresTest} on PostgreSQL).
 */
abstract class TracingContract {
  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: traced, version: "1"}
      spec:
        tasks:
          - {id: hi, uses: core/log, with: {message: "hi"}}
          - {id: bye, uses: core/log, needs: [hi], with: {message: "bye"}}
      """;

  /** hi (the engine's worker) → charge (an external worker's queue) → bye (the engine's again). */
  static final String EXTERNAL_MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: traced-ext, version: "1"}
      spec:
        tasks:
          - {id: hi, uses: core/log, with: {message: "hi"}}
          - {id: charge, uses: worker/traced, needs: [hi], with: {input: {amount: 42}}}
          - {id: bye, uses: core/log, needs: [charge], with: {message: "bye"}}
      """;

  /** The server's configuration on this backend, with {@code overrides}. */
  abstract MaestroConfig config(Path dir, Map<String, String> overrides);

  /** Drops what the backend made for the test (a PostgreSQL schema). */
  void cleanUp() {}

  @AfterEach
  final void dropBackend() {
    cleanUp();
  }

  static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CALLER_SPAN = "00f067aa0ba902b7";

  @Test
  void oneGovernedRun_arrivesAsOneTraceWithParentChildLinks(@TempDir Path dir) throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      MaestroServer server = MaestroServer.start(config(dir, tracedConfig(receiver)));
      String token;
      String runId;
      try {
        Api api = new Api(server.port());
        token = api.token("acme", "olga@acme", "workflow_author", "workflow_reviewer", "operator");
        publish(server, token, "traced", MANIFEST);
        runId = startTraced(server, token, "traced");
        awaitRun(api, token, runId);
      } finally {
        server.close(); // flushes the batched spans
      }

      List<ReceivedSpan> spans = receiver.spans();
      assertThat(receiver.contentTypes()).allMatch("application/x-protobuf"::equals);
      List<ReceivedSpan> trace =
          spans.stream().filter(s -> s.traceId().equals(CALLER_TRACE)).toList();
      Map<String, ReceivedSpan> byId =
          trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));

      // The request continues the caller's trace, and says which tenant, run and decision.
      ReceivedSpan http = only(trace, "POST /api/runs");
      assertThat(http.kind()).isEqualTo(OtlpReceiver.KIND_SERVER);
      assertThat(http.parentSpanId()).isEqualTo(CALLER_SPAN);
      assertThat(http.attribute("http.route")).isEqualTo("/api/runs");
      assertThat(http.attribute("http.response.status_code")).isEqualTo("202");
      assertThat(http.attribute("maestro.tenant")).isEqualTo("acme");
      assertThat(http.attribute("maestro.run_id")).isEqualTo(runId);
      String decision = http.attribute("maestro.decision_id");
      assertThat(decision).startsWith("dec_");
      assertThat(http.resource()).containsEntry("service.name", "maestro-under-test");

      // The gate's decision is a child of the request, under the same decision id.
      assertThat(children(trace, http, "policy.decide"))
          .anySatisfy(
              p -> {
                assertThat(p.attribute("maestro.decision_id")).isEqualTo(decision);
                assertThat(p.attribute("maestro.policy.action")).isEqualTo("workflow.run");
                assertThat(p.attribute("maestro.policy.outcome")).isEqualTo("allow");
              });
      // The run is created in a transaction of the request, scoped to its tenant.
      List<ReceivedSpan> requestTx = children(trace, http, "db.transaction");
      assertThat(requestTx).isNotEmpty();
      assertThat(requestTx)
          .allSatisfy(t -> assertThat(t.kind()).isEqualTo(OtlpReceiver.KIND_CLIENT));
      assertThat(requestTx)
          .anySatisfy(t -> assertThat(t.attribute("maestro.tenant")).isEqualTo("acme"));

      // Each step attempt continues the trace under the transaction that enqueued it: hi under a
      // transaction of the request, bye under one of hi's attempt.
      ReceivedSpan hi = step(trace, "hi");
      ReceivedSpan bye = step(trace, "bye");
      for (ReceivedSpan attempt : List.of(hi, bye)) {
        assertThat(attempt.kind()).isEqualTo(OtlpReceiver.KIND_CONSUMER);
        assertThat(attempt.attribute("maestro.run_id")).isEqualTo(runId);
        assertThat(attempt.attribute("maestro.tenant")).isEqualTo("acme");
        assertThat(byId.get(attempt.parentSpanId()))
            .as("the parent of " + attempt.attribute("maestro.step_id"))
            .isNotNull()
            .extracting(ReceivedSpan::name)
            .isEqualTo("db.transaction");
        // The attempt's own transactions are its children.
        assertThat(children(trace, attempt, "db.transaction")).isNotEmpty();
      }
      assertThat(ancestors(byId, hi)).contains(http.spanId());
      assertThat(ancestors(byId, bye)).contains(hi.spanId(), http.spanId());

      // Identifiers only: no token, header or input in any attribute.
      for (ReceivedSpan s : spans) {
        assertThat(s.attributes().keySet())
            .noneMatch(k -> k.toLowerCase().contains("authorization"));
        assertThat(s.attributes().values()).noneMatch(v -> v.contains(token));
        assertThat(s.attributes().values()).noneMatch(v -> v.contains("Bearer"));
      }
    }
  }

  @Test
  void externalWorker_continuesTheRunsTrace_andReportsUnderItsOwnSpan(@TempDir Path dir)
      throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      MaestroServer server = MaestroServer.start(config(dir, tracedConfig(receiver)));
      // The worker's own OpenTelemetry SDK, exporting to the same receiver as another service.
      SdkTracerProvider workerTraces =
          SdkTracerProvider.builder()
              .setResource(
                  Resource.getDefault()
                      .merge(
                          Resource.create(
                              Attributes.of(
                                  AttributeKey.stringKey("service.name"), "worker-under-test"))))
              .addSpanProcessor(
                  SimpleSpanProcessor.create(
                      OtlpHttpSpanExporter.builder().setEndpoint(receiver.endpoint()).build()))
              .build();
      OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(workerTraces).build();
      List<String> leasedContexts = new CopyOnWriteArrayList<>();
      String runId;
      try {
        Api api = new Api(server.port());
        String token =
            api.token("acme", "olga@acme", "workflow_author", "workflow_reviewer", "operator");
        publish(server, token, "traced-ext", EXTERNAL_MANIFEST);
        runId = startTraced(server, token, "traced-ext");
        try (Worker w = worker(server, api, otel, leasedContexts)) {
          awaitRun(api, token, runId);
          assertThat(w.completed()).isEqualTo(1);
        }
      } finally {
        server.close();
        workerTraces.close();
      }

      // The lease handed the worker a context in the caller's trace.
      assertThat(leasedContexts).hasSize(1);
      assertThat(leasedContexts.get(0)).startsWith("00-" + CALLER_TRACE + "-");
      List<ReceivedSpan> trace =
          receiver.spans().stream().filter(s -> s.traceId().equals(CALLER_TRACE)).toList();
      Map<String, ReceivedSpan> byId =
          trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));
      ReceivedSpan http = only(trace, "POST /api/runs");

      // The server marks the hand-over under the transaction that enqueued the step (hi's)...
      ReceivedSpan lease = only(trace, "step.lease");
      assertThat(lease.kind()).isEqualTo(OtlpReceiver.KIND_PRODUCER);
      assertThat(lease.attribute("maestro.run_id")).isEqualTo(runId);
      assertThat(lease.attribute("maestro.step_id")).isEqualTo("charge");
      assertThat(lease.attribute("maestro.worker.identity")).isEqualTo("traced-java-1");
      assertThat(lease.resource()).containsEntry("service.name", "maestro-under-test");
      assertThat(leasedContexts.get(0)).contains("-" + lease.spanId() + "-");
      assertThat(byId.get(lease.parentSpanId()).name()).isEqualTo("db.transaction");
      assertThat(ancestors(byId, lease)).contains(step(trace, "hi").spanId(), http.spanId());

      // ...the worker's span, from the worker's own SDK, is its child...
      ReceivedSpan task = only(trace, "worker.task");
      assertThat(task.resource()).containsEntry("service.name", "worker-under-test");
      assertThat(task.kind()).isEqualTo(OtlpReceiver.KIND_CONSUMER);
      assertThat(task.parentSpanId()).isEqualTo(lease.spanId());
      assertThat(task.attribute("maestro.run_id")).isEqualTo(runId);
      assertThat(task.attribute("maestro.step_id")).isEqualTo("charge");

      // ...the report the worker sent is a request under the worker's span, and the step after
      // it continues from the transaction of that report.
      ReceivedSpan complete = only(trace, "POST /api/worker/tasks/{id}/complete");
      assertThat(complete.parentSpanId()).isEqualTo(task.spanId());
      assertThat(ancestors(byId, step(trace, "bye"))).contains(complete.spanId(), task.spanId());
    }
  }

  @Test
  void offByDefault_noExporterThreadAndNothingSent(@TempDir Path dir) throws Exception {
    // Exporter threads of another test's traced server may still be winding down in this JVM:
    // only threads that appear while this server runs count.
    java.util.Set<Thread> before = exporterThreads();
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      // The endpoint is configured but tracing is not enabled: nothing may reach it.
      MaestroServer server =
          MaestroServer.start(config(dir, Map.of("tracing.otlp.endpoint", receiver.endpoint())));
      try {
        assertThat(server.config().tracing().enabled()).isFalse();
        Api api = new Api(server.port());
        String token =
            api.token("acme", "olga@acme", "workflow_author", "workflow_reviewer", "operator");
        publish(server, token, "traced-ext", EXTERNAL_MANIFEST);
        // Even a caller's traceparent leaves no context on the queue rows, so a lease has none.
        String runId = startTraced(server, token, "traced-ext");
        List<String> leasedContexts = new CopyOnWriteArrayList<>();
        try (Worker w = worker(server, api, null, leasedContexts)) {
          awaitRun(api, token, runId);
          assertThat(w.completed()).isEqualTo(1);
        }
        assertThat(leasedContexts).containsExactly("none");
        java.util.Set<Thread> newExporters = exporterThreads();
        newExporters.removeAll(before);
        assertThat(newExporters).isEmpty();
      } finally {
        server.close();
      }
      assertThat(receiver.spans()).isEmpty();
      assertThat(receiver.contentTypes()).isEmpty();
    }
  }

  private static Map<String, String> tracedConfig(OtlpReceiver receiver) {
    return Map.of(
        "tracing.enabled", "true",
        "tracing.otlp.endpoint", receiver.endpoint(),
        "tracing.serviceName", "maestro-under-test");
  }

  /** Starts {@code workflow} as a caller already inside trace {@link #CALLER_TRACE}. */
  private static String startTraced(MaestroServer server, String token, String workflow)
      throws Exception {
    HttpResponse<String> start =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/runs"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                    .POST(
                        HttpRequest.BodyPublishers.ofString("{\"workflow\":\"" + workflow + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
    return io.maestro.server.http.HttpJson.MAPPER.readTree(start.body()).path("id").asText();
  }

  /**
   * A Java SDK worker serving queue {@code traced}, tracing through {@code otel} when given; it
   * notes each leased task's trace context ("none" when the lease carried none).
   */
  private static Worker worker(
      MaestroServer server, Api api, OpenTelemetrySdk otel, List<String> leasedContexts) {
    MaestroClient client =
        MaestroClient.of(
            "http://127.0.0.1:" + server.port(), api.workerToken("acme", "svc-traced", "traced"));
    Worker.Builder b =
        Worker.builder(client)
            .queue("traced")
            .identity("traced-java-1")
            .pollWait(Duration.ofSeconds(1))
            .handler(
                task -> {
                  leasedContexts.add(task.traceParent() == null ? "none" : task.traceParent());
                  return Map.of("charged", task.input().path("amount").asInt());
                });
    if (otel != null) {
      b.tracing(otel);
    }
    return b.build().start();
  }

  private static void publish(MaestroServer server, String token, String name, String manifest) {
    new Api(server.port()).publish(token, name, "1", manifest);
  }

  private static void awaitRun(Api api, String token, String runId) throws InterruptedException {
    for (int i = 0; i < 1000; i++) {
      Api.Reply r = api.call("GET", "/api/runs/" + runId, token, null);
      if ("SUCCEEDED".equals(r.body().path("status").asText())) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("run " + runId + " did not succeed");
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, String name) {
    List<ReceivedSpan> named = spans.stream().filter(s -> s.name().equals(name)).toList();
    assertThat(named).as("spans named " + name).hasSize(1);
    return named.get(0);
  }

  private static ReceivedSpan step(List<ReceivedSpan> spans, String stepId) {
    Optional<ReceivedSpan> s =
        spans.stream()
            .filter(x -> x.name().equals("step.attempt"))
            .filter(x -> stepId.equals(x.attribute("maestro.step_id")))
            .findFirst();
    assertThat(s).as("a step.attempt span of " + stepId).isPresent();
    return s.get();
  }

  private static List<ReceivedSpan> children(
      List<ReceivedSpan> spans, ReceivedSpan parent, String name) {
    return spans.stream()
        .filter(s -> s.parentSpanId().equals(parent.spanId()) && s.name().equals(name))
        .toList();
  }

  private static List<String> ancestors(Map<String, ReceivedSpan> byId, ReceivedSpan span) {
    List<String> out = new ArrayList<>();
    Map<String, Boolean> seen = new HashMap<>();
    ReceivedSpan at = byId.get(span.parentSpanId());
    while (at != null && seen.put(at.spanId(), true) == null) {
      out.add(at.spanId());
      at = byId.get(at.parentSpanId());
    }
    return out;
  }

  private static java.util.Set<Thread> exporterThreads() {
    java.util.Set<Thread> found = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("BatchSpanProcessor")) {
        found.add(t);
      }
    }
    return found;
  }
}
