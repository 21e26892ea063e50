package io.maestro.server.schedule;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.core.config.MaestroConfig;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.engine.schedule.Schedule;
import io.maestro.engine.schedule.ScheduleSpec;
import io.maestro.engine.schedule.Schedules;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.QueryParams;
import io.maestro.server.http.Route;
import java.time.Clock;
import java.util.List;

/**
 * {@code /api/schedules}: cron schedules of the tenant's workflows (docs/schedules.md). Schedules a
 * published manifest declares are listed here too ({@code source: manifest}); they can be paused
 * and resumed, and change with the next published version.
 */
public final class ScheduleService implements ApiService, AutoCloseable {
  private final Schedules schedules;
  private final WorkflowRegistry registry;
  private final MaestroConfig.Schedules settings;
  private final Scheduler scheduler;
  private final Clock clock;

  ScheduleService(
      Schedules schedules,
      WorkflowRegistry registry,
      MaestroConfig.Schedules settings,
      Scheduler scheduler,
      Clock clock) {
    this.schedules = schedules;
    this.registry = registry;
    this.settings = settings;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** The scheduler this service runs (its passes can be driven directly, e.g. in tests). */
  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/schedules", "schedule.read", this::list),
        Route.post("/api/schedules", "schedule.write", this::create),
        Route.get("/api/schedules/{id}", "schedule.read", this::get),
        Route.delete("/api/schedules/{id}", "schedule.write", this::delete),
        Route.post("/api/schedules/{id}/pause", "schedule.write", this::pause),
        Route.post("/api/schedules/{id}/resume", "schedule.write", this::resume));
  }

  private static Authorization auth(Governed g) {
    return new Authorization(g.actor(), g.decision());
  }

  private static String id(ServerRequest req) {
    return req.path().pathParameters().get("id");
  }

  private void list(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    var workflow = QueryParams.text(req, "workflow");
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("items");
    schedules.list(tenant).stream()
        .filter(s -> workflow.map(w -> w.equals(s.workflow())).orElse(true))
        .forEach(s -> items.add(ScheduleJson.schedule(s)));
    HttpJson.ok(res, out);
  }

  private void create(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    ScheduleSpec spec =
        ScheduleJson.spec(HttpJson.read(req), settings.minInterval(), clock.instant());
    if (registry.get(tenant, spec.workflow()).isEmpty()) {
      throw MaestroException.of(EngineErrors.WORKFLOW_NOT_FOUND, "no workflow " + spec.workflow());
    }
    Schedule s = schedules.create(auth(g), tenant, spec, Schedules.SOURCE_API);
    res.header(HeaderNames.LOCATION, "/api/schedules/" + s.id());
    HttpJson.send(res, Status.CREATED_201, ScheduleJson.schedule(s));
  }

  /** A schedule with its latest firings ({@code ?firings=N}, default 20). */
  private void get(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    Schedule s = schedules.require(tenant, id(req));
    ObjectNode out = ScheduleJson.schedule(s);
    out.put("activeRuns", schedules.activeRuns(tenant, s.id()));
    ArrayNode firings = out.putArray("firings");
    int limit = QueryParams.intValue(req, "firings", 20, 1, 200);
    schedules.firings(tenant, s.id(), limit).forEach(f -> firings.add(ScheduleJson.firing(f)));
    HttpJson.ok(res, out);
  }

  private void delete(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    schedules.delete(auth(g), g.requireTenant(), id(req));
    res.status(Status.NO_CONTENT_204).send();
  }

  private void pause(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    HttpJson.ok(res, ScheduleJson.schedule(schedules.pause(auth(g), g.requireTenant(), id(req))));
  }

  private void resume(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    HttpJson.ok(res, ScheduleJson.schedule(schedules.resume(auth(g), g.requireTenant(), id(req))));
  }

  @Override
  public void close() {
    scheduler.close();
  }
}
