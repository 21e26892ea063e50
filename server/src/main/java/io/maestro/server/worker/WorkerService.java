package io.maestro.server.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.core.trace.Tracing;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.StepStatus;
import io.maestro.engine.queue.WorkerQueues;
import io.maestro.engine.worker.ExternalTask;
import io.maestro.engine.worker.ExternalTasks;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The task-queue API of external workers (ADR 0024, docs/workers.md): poll, heartbeat, complete and
 * fail. The gate decides the action ({@code worker.poll}, {@code worker.complete}); each handler
 * then asks the policy again with the queues the request touches ({@code input.request.queues}), so
 * a token acts only on the queues it holds, and hands that decision to the engine, which receipts
 * the step's transition under it.
 *
 * <p>A leased task carries the W3C {@code traceparent} of its run's trace when tracing is on
 * (docs/tracing.md): a {@code step.lease} span under the transaction that enqueued the step, which
 * the worker continues and sends back with its outcome.
 */
public final class WorkerService implements ApiService {
  private final ExternalTasks tasks;
  private final Tracing tracing;

  public WorkerService(ExternalTasks tasks, Tracing tracing) {
    this.tasks = tasks;
    this.tracing = tracing;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post("/api/worker/poll", "worker.poll", this::poll),
        Route.post("/api/worker/tasks/{id}/heartbeat", "worker.complete", this::heartbeat),
        Route.post("/api/worker/tasks/{id}/complete", "worker.complete", this::complete),
        Route.post("/api/worker/tasks/{id}/fail", "worker.complete", this::fail));
  }

  private void poll(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    JsonNode body = HttpJson.read(req);
    String worker = worker(body);
    List<String> queues = queues(body);
    int max = (int) bounded(body, "max_tasks", 1, ExternalTasks.MAX_BATCH, 1);
    long wait = bounded(body, "wait_seconds", 0, ExternalTasks.MAX_WAIT.toSeconds(), 30);
    Authorization auth = recheck(req, g, queues);
    List<ExternalTask> leased;
    try {
      leased = tasks.poll(auth, tenant, worker, queues, max, Duration.ofSeconds(wait));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      leased = List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (ExternalTask t : leased) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("task_id", t.taskId());
      m.put("queue", t.queue());
      m.put("run_id", t.runId());
      m.put("step_id", t.stepId());
      m.put("workflow", t.workflow());
      m.put("attempt", t.attempt());
      m.put("delivery", t.delivery());
      m.put("idempotency_key", t.idempotencyKey());
      m.put("input", t.input());
      m.put("lease_until", t.leaseUntil().toString());
      String traceparent = leaseSpan(tenant, worker, t);
      if (traceparent != null) {
        m.put("traceparent", traceparent);
      }
      out.add(m);
    }
    HttpJson.ok(res, Map.of("tasks", out));
  }

  /**
   * Marks the hand-over in the run's trace: a {@code step.lease} span under the context the queue
   * row kept; its {@code traceparent} is what the worker continues. Null when the row kept none
   * (tracing was off when the step was enqueued).
   */
  private String leaseSpan(TenantId tenant, String worker, ExternalTask t) {
    if (t.traceParent() == null) {
      return null;
    }
    if (!tracing.on()) {
      return t.traceParent();
    }
    try (Tracing.Traced span =
        tracing
            .spanUnder(t.traceParent(), "step.lease", SpanKind.PRODUCER)
            .attribute(Tracing.TENANT, tenant.value())
            .attribute(Tracing.RUN_ID, t.runId())
            .attribute(Tracing.STEP_ID, t.stepId())
            .attribute("maestro.step.attempt", t.attempt())
            .attribute("maestro.worker.queue", t.queue())
            .attribute("maestro.worker.delivery", t.delivery())
            .attribute("maestro.worker.identity", worker)) {
      return Tracing.currentTraceParent();
    }
  }

  private void heartbeat(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String id = req.path().pathParameters().get("id");
    HttpJson.read(req);
    recheck(req, g, List.of(tasks.queueOf(tenant, id)));
    Instant until = tasks.heartbeat(tenant, id);
    HttpJson.ok(res, Map.of("task_id", id, "lease_until", until.toString()));
  }

  private void complete(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String id = req.path().pathParameters().get("id");
    JsonNode body = HttpJson.read(req);
    String worker = worker(body);
    JsonNode outputs = body.path("outputs");
    if (outputs.isMissingNode()) {
      throw invalid("outputs is required (any JSON value; {} for none)");
    }
    Authorization auth = recheck(req, g, List.of(tasks.queueOf(tenant, id)));
    StepStatus status = tasks.complete(auth, tenant, worker, id, outputs);
    HttpJson.ok(res, Map.of("task_id", id, "step_status", status.name()));
  }

  private void fail(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String id = req.path().pathParameters().get("id");
    JsonNode body = HttpJson.read(req);
    String worker = worker(body);
    String error =
        HttpJson.optionalText(body, "error")
            .filter(s -> !s.isBlank())
            .orElseThrow(() -> invalid("error is required: say what went wrong"));
    if (error.length() > 2000) {
      throw invalid("error is at most 2000 characters");
    }
    JsonNode r = body.path("retryable");
    if (!r.isMissingNode() && !r.isBoolean()) {
      throw invalid("retryable must be true or false");
    }
    boolean retryable = r.isMissingNode() || r.booleanValue();
    Authorization auth = recheck(req, g, List.of(tasks.queueOf(tenant, id)));
    StepStatus status = tasks.fail(auth, tenant, worker, id, error, retryable);
    HttpJson.ok(res, Map.of("task_id", id, "step_status", status.name()));
  }

  /** The policy's look at the queues the request touches; its decision is the one receipted. */
  private static Authorization recheck(ServerRequest req, Governed g, List<String> queues) {
    Decision d = PolicyRecheck.of(req).decide(g.input().withRequest("queues", queues));
    return new Authorization(g.actor(), d);
  }

  private static String worker(JsonNode body) {
    String w =
        HttpJson.optionalText(body, "worker")
            .orElseThrow(() -> invalid("worker is required: the worker's identity"));
    if (!ExternalTasks.validWorker(w)) {
      throw invalid(
          "worker must be 1 to 80 letters, digits or ._@:/- starting with a letter or digit");
    }
    return w;
  }

  private static List<String> queues(JsonNode body) {
    JsonNode q = body.path("queues");
    if (!q.isArray() || q.isEmpty() || q.size() > 20) {
      throw invalid("queues must list 1 to 20 queue names");
    }
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (JsonNode n : q) {
      if (!n.isTextual() || !WorkerQueues.valid(n.textValue())) {
        throw invalid("not a queue name: " + n + " (lower-case letters, digits, _ . -)");
      }
      out.add(n.textValue());
    }
    return List.copyOf(out);
  }

  private static long bounded(JsonNode body, String field, long min, long max, long def) {
    JsonNode v = body.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return def;
    }
    if (!v.isIntegralNumber() || v.longValue() < min || v.longValue() > max) {
      throw invalid(field + " must be an integer from " + min + " to " + max);
    }
    return v.longValue();
  }

  private static MaestroException invalid(String message) {
    return MaestroException.of(EngineErrors.WORKER_REQUEST_INVALID, message);
  }
}
