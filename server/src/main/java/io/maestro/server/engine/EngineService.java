package io.maestro.server.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.core.logging.LogFields;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.Engine;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.LogLine;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.manifest.SourceTree;
import io.maestro.engine.registry.WorkflowVersion;
import io.maestro.engine.run.RunQueries;
import io.maestro.engine.run.StartRun;
import io.maestro.engine.sandbox.Sandbox;
import io.maestro.engine.schedule.ScheduleSpec;
import io.maestro.engine.schedule.Schedules;
import io.maestro.engine.task.TaskAvailability;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.QueryParams;
import io.maestro.server.http.Route;
import io.maestro.server.metering.RunCostAdmission;
import io.maestro.server.metering.TenantBudgets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Workflows and runs over HTTP. Every handler runs behind the policy gate and passes the gate's
 * actor and decision id to the engine ({@link Authorization}); the engine records both in the state
 * change and its receipt.
 */
public final class EngineService implements ApiService, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EngineService.class.getName());
  private static final long MAX_MANIFEST_BYTES = 1 << 20;
  private static final Duration FOLLOW_LIMIT = Duration.ofMinutes(30);
  private static final Duration FOLLOW_POLL = Duration.ofMillis(200);

  private final Engine engine;
  private final Optional<Sandbox> sandbox;
  private final RunAdmissions admissions;
  private final Optional<RunCostAdmission> costs;
  private final Duration scheduleMinInterval;
  private final java.time.Clock clock;
  private final StartAdmission starts;

  public EngineService(Engine engine, Optional<Sandbox> sandbox, RunAdmissions admissions) {
    this(engine, sandbox, admissions, Optional.empty());
  }

  /**
   * @param costs estimates each run and decides its start with the estimate (budgets); without it
   *     runs start on the gate's decision alone
   */
  public EngineService(
      Engine engine,
      Optional<Sandbox> sandbox,
      RunAdmissions admissions,
      Optional<RunCostAdmission> costs) {
    this(engine, sandbox, admissions, costs, Duration.ofSeconds(60), java.time.Clock.systemUTC());
  }

  /**
   * @param scheduleMinInterval {@code schedules.minIntervalSeconds}, for the schedules a manifest
   *     declares
   */
  public EngineService(
      Engine engine,
      Optional<Sandbox> sandbox,
      RunAdmissions admissions,
      Optional<RunCostAdmission> costs,
      Duration scheduleMinInterval,
      java.time.Clock clock) {
    this.scheduleMinInterval = scheduleMinInterval;
    this.clock = clock;
    this.engine = engine;
    this.sandbox = sandbox;
    this.admissions = admissions;
    this.costs = costs;
    this.starts = new StartAdmission(engine.registry(), engine.startRun(), costs);
  }

  /** The task types this server knows but cannot run here, and why. */
  public TaskAvailability availability() {
    return engine.availability();
  }

  public Engine engine() {
    return engine;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/workflows", "workflow.read", this::listWorkflows),
        Route.get("/api/workflows/{name}", "workflow.read", this::getWorkflow),
        Route.get("/api/workflows/{name}/versions/{version}", "workflow.read", this::getVersion),
        Route.put("/api/workflows/{name}/versions/{version}", "workflow.author", this::putVersion),
        Route.post(
            "/api/workflows/{name}/versions/{version}/publish", "workflow.publish", this::publish),
        Route.post("/api/runs", "workflow.run", this::startRun),
        Route.get("/api/runs", "run.read", this::listRuns),
        Route.get("/api/runs/{id}", "run.read", this::getRun),
        Route.post("/api/runs/{id}/cancel", "run.cancel", this::cancel),
        Route.post("/api/runs/{id}/steps/{step}/approve", "workflow.approve", this::approve),
        Route.post("/api/runs/{id}/steps/{step}/reject", "workflow.approve", this::reject),
        Route.get("/api/runs/{id}/logs", "run.read", this::logs));
  }

  /** The gate's decision as the engine records it in state changes and their receipts. */
  private static Authorization auth(Governed g) {
    return new Authorization(g.actor(), g.decision());
  }

  private static String param(ServerRequest req, String name) {
    return req.path().pathParameters().get(name);
  }

  private void listWorkflows(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("items");
    engine.registry().list(tenant).forEach(w -> items.add(EngineJson.workflow(w)));
    HttpJson.ok(res, out);
  }

  private void getWorkflow(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    String name = param(req, "name");
    var w =
        engine
            .registry()
            .get(tenant, name)
            .orElseThrow(
                () -> MaestroException.of(EngineErrors.WORKFLOW_NOT_FOUND, "no workflow " + name));
    HttpJson.ok(res, EngineJson.workflow(w));
  }

  private void getVersion(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    String name = param(req, "name");
    String version = param(req, "version");
    var w =
        engine
            .registry()
            .get(tenant, name)
            .flatMap(
                s -> s.versions().stream().filter(v -> v.version().equals(version)).findFirst())
            .orElseThrow(
                () ->
                    MaestroException.of(
                        EngineErrors.WORKFLOW_NOT_FOUND,
                        "no workflow version " + name + "@" + version));
    ObjectNode out = EngineJson.version(w);
    engine.registry().source(tenant, name, version).ifPresent(s -> out.put("source", s));
    HttpJson.ok(res, out);
  }

  /** The body is the manifest itself, as YAML ({@code application/yaml}) or JSON. */
  private void putVersion(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    String text = rawBody(req);
    boolean existed =
        engine
            .registry()
            .get(g.requireTenant(), param(req, "name"))
            .map(
                s -> s.versions().stream().anyMatch(v -> v.version().equals(param(req, "version"))))
            .orElse(false);
    WorkflowVersion v =
        engine
            .registry()
            .saveDraft(auth(g), g.requireTenant(), param(req, "name"), param(req, "version"), text);
    HttpJson.send(res, existed ? Status.OK_200 : Status.CREATED_201, EngineJson.version(v));
  }

  /**
   * Publishes a draft; the schedules its manifest declares ({@code spec.schedules}) are checked
   * first and become the workflow's manifest schedules in the publishing transaction.
   */
  private void publish(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    WorkflowVersion v =
        publishVersion(
            auth(g),
            g.requireTenant(),
            param(req, "name"),
            param(req, "version"),
            Optional.empty());
    HttpJson.ok(res, EngineJson.version(v));
  }

  /**
   * Publishes a saved draft under {@code auth}, from a workflow package when {@code origin} is
   * present; the schedules its manifest declares ({@code spec.schedules}) are checked first and
   * become the workflow's manifest schedules in the publishing transaction.
   */
  WorkflowVersion publishVersion(
      Authorization auth,
      TenantId tenant,
      String name,
      String version,
      Optional<io.maestro.engine.registry.PackageOrigin> origin) {
    List<ScheduleSpec> declared =
        engine
            .registry()
            .source(tenant, name, version)
            .map(
                text ->
                    Schedules.declared(
                        engine.registry().validate(text).canonical(),
                        name,
                        scheduleMinInterval,
                        clock.instant()))
            .orElse(List.of());
    return engine
        .registry()
        .publish(
            auth,
            tenant,
            name,
            version,
            origin,
            tx -> engine.schedules().syncManifest(tx, auth, tenant, name, declared));
  }

  private void startRun(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    String workflow = HttpJson.optionalText(body, "workflow").orElse("");
    if (workflow.isBlank()) {
      throw MaestroException.of(CoreErrors.VALIDATION_FAILED, "workflow is required");
    }
    JsonNode inputs = body.path("inputs");
    if (!inputs.isMissingNode() && !inputs.isNull() && !inputs.isObject()) {
      throw MaestroException.of(CoreErrors.VALIDATION_FAILED, "inputs must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> in =
        inputs.isObject() ? HttpJson.MAPPER.convertValue(inputs, Map.class) : Map.of();
    Optional<String> key =
        HttpJson.optionalText(body, "idempotencyKey")
            .or(() -> req.headers().first(HeaderNames.create("Idempotency-Key")));
    Optional<String> version = HttpJson.optionalText(body, "version");
    // One decision admits the start, with budgets under the tenant's budget lock in the run's
    // creating transaction (ADR 0030, 0059); without, the run is created here on it.
    Admission admitted =
        starts.admit(
            PolicyRecheck.of(req),
            Optional.of(req),
            g,
            workflow,
            version,
            key,
            Optional.of(
                (runs, a) ->
                    new StartRun(g.requireTenant(), workflow, runs, in, key, a, Optional.empty())));
    StartRun.Started started = admitted.run().orElseThrow();
    // The started run's id joins this request's log lines and its trace span.
    LogFields.put(LogFields.RUN_ID, started.runId());
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("id", started.runId());
    out.put("created", started.created());
    admitted.version().ifPresent(v -> out.put("version", v));
    admitted.from().ifPresent(v -> out.put("routedFrom", v));
    admitted
        .cost()
        .ifPresent(
            a -> {
              out.put("estimatedCostUSD", TenantBudgets.plain(a.estimate().estimatedUsd()));
              out.put("decision_id", a.decision().id());
              ArrayNode warnings = out.putArray("warnings");
              a.decision().obligations().stream()
                  .filter(o -> "budget_warning".equals(o.path("type").asText()))
                  .forEach(warnings::add);
            });
    res.header(HeaderNames.LOCATION, "/api/runs/" + started.runId());
    HttpJson.send(res, Status.ACCEPTED_202, out);
  }

  /**
   * How a start was admitted ({@link StartAdmission}).
   *
   * @param authorization the actor and the decision the run starts under
   * @param cost with budgets, the cost admission (hand a system start's back to {@link #done} once
   *     the run's transaction has run)
   * @param version the version to start: the request's, the stable one it was routed to, or empty
   *     (the active version, as the request asked)
   * @param from the version the start was routed away from, when it was
   * @param run the run, when it was started on admission ({@code POST /api/runs})
   */
  public record Admission(
      Authorization authorization,
      Optional<RunCostAdmission.Admitted> cost,
      Optional<String> version,
      Optional<String> from,
      Optional<StartRun.Started> run) {
    /** This admission for a start of {@code version}, routed away from {@code from}. */
    Admission at(Optional<String> version, Optional<String> from) {
      return new Admission(authorization, cost, version, from, run);
    }
  }

  /**
   * The governed start path of the runs the server starts itself — a schedule's tick, a webhook
   * trigger: the gate's decision {@code g} for the system actor of the scheduler or triggers (the
   * same input a request gets), then the start's admission ({@link StartAdmission}: one decision
   * with the workflow known and, with budgets on, the estimate and the budget as it stands; {@code
   * POST /api/runs} makes the same decision under the budget lock in the run's creating
   * transaction). A refusal is thrown as its problem, already logged and receipted.
   *
   * @param req the request, when there is one (for {@code ?explain=true})
   */
  public Admission admitStart(
      Governed g,
      PolicyRecheck recheck,
      Optional<ServerRequest> req,
      String workflow,
      Optional<String> version,
      Optional<String> key) {
    return starts.admit(recheck, req, g, workflow, version, key, Optional.empty());
  }

  /** Releases what {@link #admitStart} held for the run's creating transaction. */
  public void done(Admission a) {
    a.cost().ifPresent(c -> costs.get().done(c));
  }

  private void listRuns(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    Optional<RunStatus> status = QueryParams.enumValue(req, "status", RunStatus.class);
    int limit = QueryParams.intValue(req, "limit", 50, 1, RunQueries.MAX_PAGE);
    RunQueries.Page page =
        engine
            .runs()
            .list(
                tenant,
                status,
                QueryParams.text(req, "workflow"),
                limit,
                QueryParams.text(req, "cursor"));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("items");
    page.runs().forEach(r -> items.add(EngineJson.run(r, false)));
    page.next().ifPresent(n -> out.put("nextCursor", n));
    HttpJson.ok(res, out);
  }

  private RunView run(TenantId tenant, String id) {
    return engine
        .runs()
        .get(tenant, id)
        .orElseThrow(() -> MaestroException.of(EngineErrors.RUN_NOT_FOUND, "no run " + id));
  }

  /**
   * A run with its steps; with {@code ?explain=true} also {@code admission}, the policy decision
   * that let it start (see {@link RunAdmissions#explain}). Reading the run is all it takes: the
   * decision is about the reader's own tenant and its receipt is in the log every role may read.
   */
  private void getRun(ServerRequest req, ServerResponse res) {
    RunView run = run(Governed.of(req).requireTenant(), param(req, "id"));
    ObjectNode out = EngineJson.run(run, true);
    if ("true".equals(req.query().first("explain").asOptional().orElse(""))) {
      out.set("admission", admissions.explain(run));
    }
    HttpJson.ok(res, out);
  }

  private void cancel(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    engine
        .cancelRun()
        .handle(
            auth(g),
            g.requireTenant(),
            param(req, "id"),
            HttpJson.optionalText(body, "reason").orElse(""));
    HttpJson.ok(res, EngineJson.run(run(g.requireTenant(), param(req, "id")), true));
  }

  private void approve(ServerRequest req, ServerResponse res) {
    decide(req, res, true);
  }

  private void reject(ServerRequest req, ServerResponse res) {
    decide(req, res, false);
  }

  private void decide(ServerRequest req, ServerResponse res, boolean approve) {
    Governed g = Governed.of(req);
    String comment = HttpJson.optionalText(HttpJson.read(req), "comment").orElse(null);
    var a = engine.approvals();
    var d =
        approve
            ? a.approve(auth(g), g.requireTenant(), param(req, "id"), param(req, "step"), comment)
            : a.reject(auth(g), g.requireTenant(), param(req, "id"), param(req, "step"), comment);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("step", param(req, "step"));
    out.put("status", d.stepStatus().name());
    out.put("required", d.required());
    ArrayNode approvers = out.putArray("approvers");
    d.approvers().forEach(approvers::add);
    HttpJson.ok(res, out);
  }

  /**
   * The run log as NDJSON, one line object per line. With {@code follow=true} the response stays
   * open and streams new lines until the run has ended and its log is drained (at most 30 minutes).
   */
  private void logs(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    String id = param(req, "id");
    long after = QueryParams.longValue(req, "after", 0, 0, Long.MAX_VALUE);
    boolean follow = QueryParams.bool(req, "follow", false);
    run(tenant, id); // 404 before the stream starts
    res.header(HeaderNames.CONTENT_TYPE, "application/x-ndjson");
    res.header(HeaderValues.CACHE_NO_CACHE);
    long deadline = System.nanoTime() + FOLLOW_LIMIT.toNanos();
    try (OutputStream out = res.outputStream()) {
      while (true) {
        List<LogLine> lines = engine.logs().read(tenant, id, after, 500);
        for (LogLine l : lines) {
          out.write(HttpJson.MAPPER.writeValueAsBytes(EngineJson.log(l)));
          out.write('\n');
          after = l.seq();
        }
        out.flush();
        if (lines.size() == 500) {
          continue;
        }
        if (!follow || System.nanoTime() > deadline) {
          return;
        }
        if (run(tenant, id).status().terminal()) {
          // One more read: lines committed together with the final transition.
          List<LogLine> rest = engine.logs().read(tenant, id, after, 500);
          if (rest.isEmpty()) {
            return;
          }
          continue;
        }
        Thread.sleep(FOLLOW_POLL.toMillis());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String rawBody(ServerRequest req) {
    if (!req.content().hasEntity()) {
      throw MaestroException.of(CoreErrors.VALIDATION_FAILED, "send the manifest as the body");
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] data = in.readNBytes((int) MAX_MANIFEST_BYTES + 1);
      if (data.length > MAX_MANIFEST_BYTES) {
        throw MaestroException.of(
            CoreErrors.PAYLOAD_TOO_LARGE,
            "a manifest may have at most " + MAX_MANIFEST_BYTES + " bytes");
      }
      return SourceTree.utf8(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    engine.close();
    sandbox.ifPresent(Sandbox::close);
  }
}
