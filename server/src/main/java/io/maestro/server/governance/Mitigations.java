package io.maestro.server.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.json.Json;
import io.maestro.core.problem.MaestroException;
import io.maestro.governance.Controls;
import io.maestro.governance.Incident;
import io.maestro.governance.Incidents;
import io.maestro.governance.KillSwitch;
import io.maestro.governance.Throttle;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The mitigations beyond the rollback that the policy chose for a breach ({@code mitigation}
 * obligations of the {@code ramp.rollback} decision): {@code pause} pulls a kill switch in pause
 * mode on the canary's version and pauses its running runs ({@link RunPauses}), {@code throttle}
 * holds the tenant's starts to a number of running runs. Each is applied with that decision and
 * recorded as a {@code mitigation_applied} step naming what it created; once the canary recovered,
 * each still active is undone under a {@code mitigation.undo} decision and recorded as {@code
 * mitigation_undone} (one a person already lifted is recorded as such).
 */
final class Mitigations {
  static final String UNDONE = "mitigation_undone";

  private final Controls controls;
  private final RunPauses pauses;

  Mitigations(Controls controls, RunPauses pauses) {
    this.controls = controls;
    this.pauses = pauses;
  }

  /** Applies every mitigation {@code decision} names for the incident's breach. */
  void apply(Actor controller, TenantId tenant, Incident incident, Decision decision) {
    for (JsonNode o : decision.obligations()) {
      if (!"mitigation".equals(o.path("type").asText())) {
        continue;
      }
      ObjectNode detail = Json.MAPPER.createObjectNode();
      detail.put("mitigation", o.path("kind").asText());
      detail.put("decision_id", decision.id());
      String reason = "incident " + incident.id();
      switch (o.path("kind").asText()) {
        case "pause" -> {
          KillSwitch k =
              controls
                  .killSwitches()
                  .pull(
                      controller,
                      decision,
                      Optional.of(tenant),
                      KillSwitch.Scope.VERSION,
                      o.path("workflow").asText(),
                      Optional.of(o.path("version").asText()),
                      KillSwitch.Mode.PAUSE,
                      reason);
          detail.put("kill_switch", k.id());
          detail.put("workflow", k.target());
          detail.put("version", k.version());
          // The canary's running runs are paused too, each under its own run.pause decision.
          detail.put("paused_runs", count(pauses.pause(controller, tenant, k), "paused"));
        }
        case "throttle" -> {
          Throttle t =
              controls
                  .throttles()
                  .apply(
                      controller,
                      decision,
                      tenant,
                      o.path("maxConcurrentRuns").asInt(),
                      reason,
                      Optional.of(incident.id()));
          detail.put("throttle", t.id());
          detail.put("max_concurrent_runs", t.maxConcurrentRuns());
        }
        default -> {
          // A kind this server does not know (a newer pack): recorded, not applied.
          detail.put("applied", false);
          detail.put("note", "unknown mitigation kind");
        }
      }
      controls
          .incidents()
          .note(
              controller,
              Optional.of(decision),
              tenant,
              incident.id(),
              Incidents.MITIGATION_APPLIED,
              detail);
    }
  }

  private static int count(java.util.List<RunPauses.Applied> applied, String outcome) {
    return (int) applied.stream().filter(a -> a.outcome().equals(outcome)).count();
  }

  /** Adds the decision's refusal reasons to a timeline step's detail. */
  static void reasons(ObjectNode detail, Decision decision) {
    var reasons = detail.putArray("reasons");
    decision
        .reasons()
        .forEach(r -> reasons.addObject().put("code", r.code()).put("message", r.message()));
  }

  /** Undoes every pause and throttle the incident's timeline applied and a person did not lift. */
  void undo(Actor controller, TenantId tenant, Incident incident, Supplier<Decision> decide) {
    Decision decision = null;
    for (Incident.Event e : incident.timeline()) {
      if (!Incidents.MITIGATION_APPLIED.equals(e.kind())) {
        continue;
      }
      JsonNode d = e.detail();
      boolean pause = d.hasNonNull("kill_switch");
      if (!pause && !d.hasNonNull("throttle")) {
        continue; // the ramp itself is never raised again by the controller
      }
      if (decision == null) {
        decision = decide.get();
      }
      ObjectNode detail = Json.MAPPER.createObjectNode();
      detail.put("mitigation", d.path("mitigation").asText());
      detail.put("decision_id", decision.id());
      if (!decision.allow()) {
        detail.put("outcome", "refused");
        reasons(detail, decision);
      } else {
        try {
          if (pause) {
            String id = d.path("kill_switch").asText();
            KillSwitch k =
                controls.killSwitches().release(controller, decision, Optional.of(tenant), id);
            detail.put("kill_switch", id);
            detail.put("resumed_runs", count(pauses.resume(controller, tenant, k), "resumed"));
          } else {
            String id = d.path("throttle").asText();
            controls.throttles().release(controller, decision, tenant, id);
            detail.put("throttle", id);
          }
          detail.put("outcome", "lifted");
        } catch (MaestroException gone) {
          // Someone lifted it by hand already.
          detail.put(
              pause ? "kill_switch" : "throttle",
              d.path(pause ? "kill_switch" : "throttle").asText());
          detail.put("outcome", "already_lifted");
        }
      }
      controls
          .incidents()
          .note(controller, Optional.of(decision), tenant, incident.id(), UNDONE, detail);
    }
  }
}
