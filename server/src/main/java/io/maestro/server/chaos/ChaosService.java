package io.maestro.server.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code /api/chaos}: fault injection for chaos drills and the drills' completion receipts. Every
 * route is a platform administrator's ({@code chaos.*} actions, granted to {@code conductor_admin}
 * only); an injection and a drill's record are decided again on {@code input.request.fault} (is the
 * server configured for drills, is it in production mode), so a server that was not configured for
 * them refuses with {@code fault_injection_disabled} or {@code fault_injection_production} — a
 * policy decision with its {@code policy.denied} receipt. Each injection is a {@code
 * fault.injected} receipt in the platform log; each drill's report a {@code drill.chaos_completed}
 * receipt.
 */
public final class ChaosService implements ApiService {
  private static final Duration DEFAULT_LATENCY = Duration.ofSeconds(1);

  private final Faults faults;
  private final Database db;
  private final Receipts receipts;
  private final Clock clock;

  public ChaosService(Faults faults, Database db, Receipts receipts, Clock clock) {
    this.faults = faults;
    this.db = db;
    this.receipts = receipts;
    this.clock = clock;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/chaos/faults", "chaos.list", this::list),
        Route.post("/api/chaos/faults", "chaos.inject", this::inject),
        Route.delete("/api/chaos/faults/{scenario}", "chaos.clear", this::clear),
        Route.post("/api/chaos/drills", "chaos.record", this::record));
  }

  private void list(ServerRequest req, ServerResponse res) {
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    out.put("permitted", faults.permitted());
    out.put("export_writes_refused", faults.refusedWrites());
    ArrayNode items = out.putArray("faults");
    faults.current().forEach(a -> items.add(json(a)));
    faults
        .dbRestart()
        .ifPresent(
            d -> {
              out.put("db_restart", d.availability().name().toLowerCase(java.util.Locale.ROOT));
              d.last().ifPresent(o -> out.set("last_db_restart", json(o)));
            });
    HttpJson.ok(res, out);
  }

  /** Body: {@code {"scenario": "signer-outage", "seconds": 5, "latencyMs": 1000}}. */
  private void inject(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    String name =
        HttpJson.optionalText(body, "scenario")
            .orElseThrow(() -> invalid("scenario is required: one of " + Scenario.names()));
    Decision decision =
        PolicyRecheck.of(req).decide(g.input().withRequest("fault", faults.facts(name)));
    Scenario scenario = scenario(name);
    long seconds = HttpJson.optionalInteger(body, "seconds").orElse(10L);
    if (seconds < 1 || seconds > Faults.MAX.toSeconds()) {
      throw invalid("seconds must be from 1 to " + Faults.MAX.toSeconds());
    }
    long latencyMs = HttpJson.optionalInteger(body, "latencyMs").orElse(DEFAULT_LATENCY.toMillis());
    if (latencyMs < 1 || latencyMs > 60_000) {
      throw invalid("latencyMs must be from 1 to 60000");
    }
    // The receipt first: once the fault is in force (a signer or policy outage), nothing more
    // could be recorded about it until it ends.
    Faults.Active planned =
        new Faults.Active(
            scenario,
            clock.instant(),
            clock.instant().plusSeconds(seconds),
            Duration.ofMillis(latencyMs));
    ObjectNode payload = json(planned);
    payload.put("decision_id", decision.id());
    Receipt receipt =
        append(ReceiptTypes.FAULT_INJECTED, g.actor(), "chaos.inject", scenario.wire(), payload);
    Faults.Active a =
        faults.inject(
            scenario,
            Duration.ofSeconds(seconds),
            Duration.ofMillis(latencyMs),
            o -> restarted(g.actor(), decision, o));
    ObjectNode out = json(a);
    out.put("receipt_id", receipt.id());
    HttpJson.send(res, Status.CREATED_201, out);
  }

  private void clear(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    Scenario scenario = scenario(req.path().pathParameters().get("scenario"));
    if (faults.clear(scenario)) {
      ObjectNode payload = HttpJson.MAPPER.createObjectNode().put("scenario", scenario.wire());
      payload.put("decision_id", g.decision().id());
      append(ReceiptTypes.FAULT_CLEARED, g.actor(), "chaos.clear", scenario.wire(), payload);
    }
    res.status(Status.NO_CONTENT_204).send();
  }

  /** Body: the drill's report ({@code scenario}, {@code passed}, measurements). */
  private void record(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    if (!body.isObject() || !body.path("passed").isBoolean()) {
      throw invalid("the body is a drill report: an object with scenario and passed");
    }
    String name = body.path("scenario").asText("");
    PolicyRecheck.of(req).decide(g.input().withRequest("fault", faults.facts(name)));
    Scenario scenario = scenario(name);
    Receipt receipt =
        append(
            ReceiptTypes.DRILL_CHAOS_COMPLETED,
            g.actor(),
            "chaos.record",
            scenario.wire(),
            (ObjectNode) body);
    HttpJson.send(
        res,
        Status.CREATED_201,
        HttpJson.MAPPER.createObjectNode().put("receipt_id", receipt.id()));
  }

  /**
   * The end of a database restart, as a {@code fault.cleared} receipt once the database answers
   * again (retried for a while: the receipt needs the database the fault took away).
   */
  private void restarted(Actor actor, Decision decision, DbRestart.Outcome o) {
    ObjectNode payload = json(o);
    payload.put("scenario", Scenario.DB_RESTART.wire());
    payload.put("decision_id", decision.id());
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        append(
            ReceiptTypes.FAULT_CLEARED, actor, "chaos.inject", Scenario.DB_RESTART.wire(), payload);
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() > end) {
          java.util.logging.Logger.getLogger(ChaosService.class.getName())
              .warning("the end of a database restart could not be receipted: " + e.getMessage());
          return;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  static ObjectNode json(DbRestart.Outcome o) {
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    out.put("started_at", o.started().toString());
    out.put("finished", o.finished().isPresent());
    o.finished().ifPresent(f -> out.put("finished_at", f.toString()));
    o.finished()
        .ifPresent(
            f -> out.put("command_seconds", Duration.between(o.started(), f).toMillis() / 1000.0));
    out.put("exit_code", o.exitCode());
    out.put("output", o.output());
    out.put("database_started_before", o.databaseStartedBefore().toString());
    o.databaseStartedAfter().ifPresent(a -> out.put("database_started_after", a.toString()));
    o.answeredAt().ifPresent(a -> out.put("database_answered_at", a.toString()));
    out.put("restarted", o.restarted());
    return out;
  }

  private Receipt append(
      ReceiptType type, Actor actor, String action, String scenario, ObjectNode payload) {
    return db.inTransaction(
        TenantScope.platform(),
        tx ->
            receipts.append(
                tx,
                ReceiptDraft.of(
                        LogId.platform(),
                        type,
                        actor,
                        action,
                        ReceiptDraft.Subject.of("fault", scenario))
                    .withPayload(payload)));
  }

  private static ObjectNode json(Faults.Active a) {
    ObjectNode o = HttpJson.MAPPER.createObjectNode();
    o.put("scenario", a.scenario().wire());
    o.put("since", a.since().toString());
    o.put("until", a.until().toString());
    if (a.scenario() == Scenario.PDP_LATENCY) {
      o.put("latency_ms", a.latency().toMillis());
    }
    return o;
  }

  private static Scenario scenario(String name) {
    return Scenario.of(name)
        .orElseThrow(() -> invalid("unknown scenario " + name + "; one of " + Scenario.names()));
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(CoreErrors.VALIDATION_FAILED, detail);
  }
}
