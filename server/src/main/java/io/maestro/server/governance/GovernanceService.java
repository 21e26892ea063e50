package io.maestro.server.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.background.BackgroundLoop;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.Engine;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.governance.BreakGlassGrant;
import io.maestro.governance.ControlErrors;
import io.maestro.governance.ControlJson;
import io.maestro.governance.Controls;
import io.maestro.governance.Freezes;
import io.maestro.governance.KillSwitch;
import io.maestro.governance.Ramp;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.QueryParams;
import io.maestro.server.http.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The HTTP face of release governance: ramps ({@code /api/ramps}), kill switches ({@code
 * /api/kill-switches}), freeze windows ({@code /api/freezes}) and break-glass grants ({@code
 * /api/break-glass}). Every change passed the policy gate (and, for kill switches, a second
 * decision that knows the switch's scope); every refusal of a governed action comes from the
 * policy. Every few seconds it closes expired break-glass grants, each with its receipt, and pauses
 * the runs still going under an active pause switch ({@link RunPauses#catchUp}).
 */
public final class GovernanceService implements ApiService, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GovernanceService.class.getName());

  private final Controls controls;
  private final Engine engine;
  private final RunPauses pauses;
  private final Clock clock;
  private final Duration sweepEvery;
  private final BackgroundLoop sweeper;

  public GovernanceService(
      Controls controls, Engine engine, RunPauses pauses, Clock clock, Duration sweepEvery) {
    this.controls = controls;
    this.engine = engine;
    this.pauses = pauses;
    this.clock = clock;
    this.sweepEvery = sweepEvery;
    this.sweeper = BackgroundLoop.afterEach("maestro-break-glass-sweep", sweepEvery, this::sweep);
  }

  private void sweep() {
    try {
      controls.breakGlass().closeAllExpired();
    } catch (RuntimeException e) {
      LOG.warning("closing expired break-glass grants failed: " + e.getMessage());
    }
    try {
      // Runs that started under an active pause switch without being paused by its pull (child
      // runs, or starts on a server that had not heard of it yet) are paused here. A switch
      // pulled within the last interval is left to its pull, which pauses and reports its runs.
      Instant settled = clock.instant().minus(sweepEvery);
      for (KillSwitch k : controls.activeKillSwitches()) {
        if (k.mode() == KillSwitch.Mode.PAUSE
            && !k.tenant().equals(KillSwitch.GLOBAL)
            && k.pulledAt().isBefore(settled)) {
          pauses.catchUp(TenantId.of(k.tenant()), k);
        }
      }
    } catch (RuntimeException e) {
      LOG.warning("pausing runs under pause switches failed: " + e.getMessage());
    }
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/ramps", "ramp.read", this::listRamps),
        Route.get("/api/ramps/history", "ramp.read", this::rampHistory),
        Route.put("/api/ramps/{workflow}", "ramp.write", this::setRamp),
        Route.get("/api/kill-switches", "workflow.read", this::listSwitches),
        Route.post("/api/kill-switches", "workflow.kill", this::pull),
        Route.delete("/api/kill-switches/{id}", "workflow.kill", this::release),
        Route.get("/api/freezes", "freeze.read", this::listFreezes),
        Route.post("/api/freezes", "freeze.write", this::addFreeze),
        Route.delete("/api/freezes/{id}", "freeze.write", this::removeFreeze),
        Route.get("/api/break-glass", "breakglass.read", this::listGrants),
        Route.post("/api/break-glass", "breakglass.open", this::openGrant),
        Route.post("/api/break-glass/{id}/approve", "breakglass.approve", this::approveGrant),
        Route.post("/api/break-glass/{id}/close", "breakglass.open", this::closeGrant));
  }

  // Ramps

  private void listRamps(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    HttpJson.okItems(res, controls.ramps().list(tenant), ControlJson::ramp);
  }

  private void rampHistory(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    Optional<String> workflow = req.query().first("workflow").asOptional();
    int limit = QueryParams.intValue(req, "limit", 50, 1, 500);
    HttpJson.okItems(
        res, controls.ramps().history(tenant, workflow, limit), ControlJson::rampChange);
  }

  /** Body: {@code {"percent": 10, "version": "2", "action": "workflow.run"}}. */
  private void setRamp(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    JsonNode body = HttpJson.read(req);
    JsonNode p = body.path("percent");
    if (!p.isNumber()) {
      throw MaestroException.of(
          ControlErrors.RAMP_PERCENT_INVALID, "percent must be a number from 0 to 100");
    }
    String workflow = req.path().pathParameters().get("workflow");
    Optional<String> version = HttpJson.optionalText(body, "version").filter(s -> !s.isBlank());
    requireWorkflow(tenant, workflow, version);
    Ramp r =
        controls
            .ramps()
            .set(
                g.actor(),
                g.decision(),
                tenant,
                workflow,
                version,
                HttpJson.optionalText(body, "action"),
                p.decimalValue());
    HttpJson.ok(res, ControlJson.ramp(r));
  }

  private void requireWorkflow(TenantId tenant, String workflow, Optional<String> version) {
    boolean known =
        engine
            .registry()
            .get(tenant, workflow)
            .map(
                w ->
                    version.isEmpty()
                        || w.versions().stream().anyMatch(v -> v.version().equals(version.get())))
            .orElse(false);
    if (!known) {
      throw MaestroException.of(
          ControlErrors.WORKFLOW_UNKNOWN,
          "no workflow " + workflow + version.map(v -> "@" + v).orElse("") + " in this tenant");
    }
  }

  // Kill switches

  private void listSwitches(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    HttpJson.okItems(res, controls.killSwitches().active(g.tenant()), ControlJson::killSwitch);
  }

  /**
   * Body: {@code {"scope": "workflow|version|task_type|tenant|global", "target": "hello",
   * "version": "2", "mode": "drain|cancel|pause", "reason": "…"}}.
   */
  private void pull(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    String scopeText = HttpJson.optionalText(body, "scope").orElse("workflow");
    KillSwitch.Scope scope =
        KillSwitch.Scope.parse(scopeText)
            .orElseThrow(
                () ->
                    MaestroException.of(
                        ControlErrors.KILL_SWITCH_INVALID,
                        "scope must be workflow, version, task_type, tenant or global"));
    String modeText = HttpJson.optionalText(body, "mode").orElse("drain");
    KillSwitch.Mode mode =
        KillSwitch.Mode.parse(modeText)
            .orElseThrow(
                () ->
                    MaestroException.of(
                        ControlErrors.KILL_SWITCH_INVALID, "mode must be drain, cancel or pause"));
    // Who may pull a global switch is the policy's to say: ask again knowing the scope.
    Decision decision = PolicyRecheck.of(req).decide(g.input().withRequest("scope", scope.wire()));
    Optional<TenantId> tenant = scope == KillSwitch.Scope.GLOBAL ? Optional.empty() : g.tenant();
    if (scope != KillSwitch.Scope.GLOBAL && tenant.isEmpty()) {
      g.requireTenant();
    }
    String target = HttpJson.optionalText(body, "target").orElse("");
    Optional<String> version = HttpJson.optionalText(body, "version").filter(s -> !s.isBlank());
    if (scope == KillSwitch.Scope.WORKFLOW || scope == KillSwitch.Scope.VERSION) {
      requireWorkflow(tenant.orElseThrow(), target, version);
    }
    KillSwitch k =
        controls
            .killSwitches()
            .pull(
                g.actor(),
                decision,
                tenant,
                scope,
                target,
                version,
                mode,
                HttpJson.optionalText(body, "reason").orElse(""));
    ObjectNode out = ControlJson.killSwitch(k);
    ArrayNode applied = out.putArray("applied");
    if (tenant.isPresent()) {
      for (String[] a : applyToRunning(g, decision, tenant.get(), k)) {
        applied.addObject().put("run", a[0]).put("outcome", a[1]);
      }
    }
    HttpJson.send(res, Status.CREATED_201, out);
  }

  /**
   * What the switch does to the tenant's running runs it matches: with {@code cancel} each is
   * cancelled; with {@code drain} each is left to finish; with {@code pause} each is paused under
   * its own {@code run.pause} decision ({@link RunPauses}) until the switch is released. Every
   * outcome is a receipt.
   */
  private List<String[]> applyToRunning(Governed g, Decision d, TenantId tenant, KillSwitch k) {
    List<String[]> out = new ArrayList<>();
    if (k.mode() == KillSwitch.Mode.PAUSE) {
      for (RunPauses.Applied a : pauses.pause(g.actor(), tenant, k)) {
        out.add(new String[] {a.runId(), a.outcome()});
      }
      return out;
    }
    Optional<String> workflow =
        k.scope() == KillSwitch.Scope.WORKFLOW || k.scope() == KillSwitch.Scope.VERSION
            ? Optional.of(k.target())
            : Optional.empty();
    List<RunView> running = new ArrayList<>();
    for (RunStatus s : List.of(RunStatus.PENDING, RunStatus.RUNNING)) {
      Optional<String> cursor = Optional.empty();
      do {
        var page = engine.runs().list(tenant, Optional.of(s), workflow, 500, cursor);
        running.addAll(page.runs());
        cursor = page.next();
      } while (cursor.isPresent());
    }
    for (RunView run : running) {
      if (k.scope() == KillSwitch.Scope.VERSION && !run.version().equals(k.version())) {
        continue;
      }
      if (k.scope() == KillSwitch.Scope.TASK_TYPE && !usesTaskType(tenant, run, k.target())) {
        continue;
      }
      String outcome;
      if (k.mode() == KillSwitch.Mode.CANCEL) {
        try {
          engine
              .cancelRun()
              .handle(
                  new Authorization(g.actor(), d), tenant, run.runId(), "kill switch " + k.id());
          outcome = "cancelled";
        } catch (MaestroException e) {
          outcome = "finished"; // it ended between the listing and the cancel
        }
      } else {
        outcome = "draining";
      }
      controls.killSwitches().recordApplied(g.actor(), d, tenant, k, run.runId(), outcome);
      out.add(new String[] {run.runId(), outcome});
    }
    return out;
  }

  private boolean usesTaskType(TenantId tenant, RunView run, String type) {
    return engine
        .registry()
        .manifest(tenant, run.workflow(), run.version(), run.digest())
        .tasks()
        .stream()
        .anyMatch(t -> t.uses().equals(type));
  }

  private void release(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    String id = req.path().pathParameters().get("id");
    boolean global =
        controls.killSwitches().active(g.tenant()).stream()
            .anyMatch(k -> k.id().equals(id) && k.tenant().equals(KillSwitch.GLOBAL));
    Decision decision =
        PolicyRecheck.of(req).decide(g.input().withRequest("scope", global ? "global" : "tenant"));
    KillSwitch k =
        controls
            .killSwitches()
            .release(g.actor(), decision, global ? Optional.empty() : g.tenant(), id);
    ObjectNode out = ControlJson.killSwitch(k);
    ArrayNode applied = out.putArray("applied");
    if (k.mode() == KillSwitch.Mode.PAUSE && !global && g.tenant().isPresent()) {
      // The runs it paused resume, each under its own run.resume decision.
      for (RunPauses.Applied a : pauses.resume(g.actor(), g.tenant().get(), k)) {
        applied.addObject().put("run", a.runId()).put("outcome", a.outcome());
      }
    }
    HttpJson.ok(res, out);
  }

  // Freezes

  private void listFreezes(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    Instant now = clock.instant();
    HttpJson.okItems(res, controls.freezes().list(tenant), f -> ControlJson.freeze(f, now));
  }

  /**
   * Body: {@code {"kind": "once", "from": "2026-12-24T00:00:00Z", "to": "…"}} or {@code {"kind":
   * "weekly", "from": "FRI 16:00", "to": "MON 08:00", "zone": "America/Denver"}}, with a {@code
   * reason}.
   */
  private void addFreeze(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    var spec =
        new Freezes.Spec(
            HttpJson.optionalText(body, "kind").orElse(null),
            HttpJson.optionalText(body, "from").orElse(null),
            HttpJson.optionalText(body, "to").orElse(null),
            HttpJson.optionalText(body, "zone").orElse(null),
            HttpJson.optionalText(body, "reason").orElse(""));
    var f = controls.freezes().add(g.actor(), g.decision(), g.requireTenant(), spec);
    HttpJson.send(res, Status.CREATED_201, ControlJson.freeze(f, clock.instant()));
  }

  private void removeFreeze(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    String id = req.path().pathParameters().get("id");
    controls.freezes().remove(g.actor(), g.decision(), g.requireTenant(), id);
    HttpJson.ok(res, JsonNodeFactory.instance.objectNode().put("id", id).put("removed", true));
  }

  // Break-glass

  private void listGrants(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    Instant now = clock.instant();
    HttpJson.okItems(res, controls.breakGlass().list(tenant), x -> ControlJson.grant(x, now));
  }

  /** Body: {@code {"reason": "…", "for": "30m", "actions": ["workflow.publish"]}}. */
  private void openGrant(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    Duration duration = duration(HttpJson.optionalText(body, "for").orElse(""));
    List<String> actions = new ArrayList<>();
    body.path("actions").forEach(a -> actions.add(a.asText()));
    // The policy says whether a second person must approve (the regulated profile does).
    boolean needsApproval =
        g.decision().obligations().stream()
            .anyMatch(o -> "break_glass_approval".equals(o.path("type").asText()));
    BreakGlassGrant grant =
        controls
            .breakGlass()
            .open(
                g.actor(),
                g.decision(),
                g.requireTenant(),
                HttpJson.optionalText(body, "reason").orElse(""),
                actions,
                duration,
                needsApproval);
    HttpJson.send(res, Status.CREATED_201, ControlJson.grant(grant, clock.instant()));
  }

  private void approveGrant(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    String id = req.path().pathParameters().get("id");
    var grant = controls.breakGlass().approve(g.actor(), g.decision(), g.requireTenant(), id);
    HttpJson.ok(res, ControlJson.grant(grant, clock.instant()));
  }

  private void closeGrant(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    String id = req.path().pathParameters().get("id");
    var grant = controls.breakGlass().close(g.actor(), g.decision(), g.requireTenant(), id);
    HttpJson.ok(res, ControlJson.grant(grant, clock.instant()));
  }

  /** {@code 30m}, {@code 2h}, {@code 90s} or an ISO-8601 duration. */
  static Duration duration(String text) {
    String t = text.trim();
    try {
      if (t.matches("\\d+[smh]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      }
      return Duration.parse(t);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw MaestroException.of(
          ControlErrors.BREAK_GLASS_INVALID, "for must be a duration such as 30m, 2h or PT45M");
    }
  }

  @Override
  public void close() {
    sweeper.close();
    controls.close();
  }
}
