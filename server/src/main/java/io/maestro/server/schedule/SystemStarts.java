package io.maestro.server.schedule;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.server.auth.PolicyGate;
import io.maestro.server.engine.EngineService;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admits a run the server starts on its own — a schedule's tick, a webhook trigger's request — on
 * the governed start path of {@code POST /api/runs}: the gate's decision on {@code workflow.run}
 * for the system actor ({@link PolicyGate#admitSystem}, the same input a request would get), then
 * the engine service's second look and cost check ({@link EngineService#admitStart}). Thread-safe.
 */
final class SystemStarts {
  static final String SCHEDULER = "scheduler";
  static final String WEBHOOK_TRIGGER = "webhook-trigger";

  private final PolicyGate gate;
  private final EngineService engine;

  SystemStarts(PolicyGate gate, EngineService engine) {
    this.gate = gate;
    this.engine = engine;
  }

  /** The outcome: admitted (hand the admission back with {@link #done}) or refused. */
  sealed interface Result {}

  record Admitted(EngineService.Admission admission) implements Result {}

  /**
   * @param problem the refusal as a problem (the code and status a request would get)
   * @param detail {@code decision_id} and {@code reasons}, for the record of the tick or request
   */
  record Refused(MaestroException problem, ObjectNode detail) implements Result {
    /** A policy refusal (403, or 429 for a quota), not a start that could not be made. */
    boolean byPolicy() {
      int status = problem.code().status();
      return status == 403 || status == 429;
    }
  }

  /** The system actor of {@code component}, acting in {@code tenant}. */
  static Actor actor(String component, TenantId tenant) {
    return new Actor("system:" + component, Optional.of(tenant), List.of(), Map.of(), "system");
  }

  Result admit(
      Actor actor,
      TenantId tenant,
      String workflow,
      Optional<String> version,
      Optional<String> key) {
    PolicyGate.SystemAdmission s =
        gate.admitSystem(actor, "workflow.run", tenant, "POST", "/api/runs", workflow);
    Decision d = s.governed().decision();
    if (!d.allow()) {
      MaestroException problem = PolicyGate.refusal(d, Optional.empty());
      return new Refused(problem, detail(problem));
    }
    try {
      return new Admitted(
          engine.admitStart(s.governed(), s.recheck(), Optional.empty(), workflow, version, key));
    } catch (MaestroException e) {
      return new Refused(e, detail(e));
    }
  }

  void done(Admitted a) {
    engine.done(a.admission());
  }

  /** The authorization of a refused start: the actor, no allowing decision. */
  static Authorization refusedBy(Actor actor) {
    return new Authorization(actor, Optional.empty());
  }

  private static ObjectNode detail(MaestroException e) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("code", e.code().code());
    Object id = e.extensions().get("decision_id");
    if (id != null) {
      o.put("decision_id", id.toString());
    }
    ArrayNode reasons = o.putArray("reasons");
    Object rs = e.extensions().get("reasons");
    if (rs instanceof List<?> list) {
      for (Object r : list) {
        if (r instanceof Map<?, ?> m) {
          reasons
              .addObject()
              .put("code", String.valueOf(m.get("code")))
              .put("message", String.valueOf(m.get("message")));
        }
      }
    }
    if (reasons.isEmpty()) {
      reasons.addObject().put("code", e.code().code()).put("message", e.detail());
    }
    return o;
  }
}
