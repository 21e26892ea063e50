package io.maestro.server.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.json.Json;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.Engine;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.governance.Controls;
import io.maestro.governance.KillSwitch;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.PolicyInput;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantDirectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a kill switch in pause mode does to the runs already running (ADR 0041): each run it matches
 * is paused, and once the switch is released each run it paused is resumed unless another pause
 * still matches it. Every run gets its own decision ({@code run.pause} or {@code run.resume}, taken
 * for the system actor {@code system:kill-switch} in the run's tenant, with the run's workflow and
 * the switch in the input), its engine receipt ({@code run.paused}, {@code run.resumed}) under that
 * decision, and a {@code kill_switch.applied} receipt naming the outcome — including a refusal. The
 * person who pulled the switch was decided by {@code workflow.kill}; who pauses a run is the
 * policy's answer about that run.
 *
 * <p>The pause lives in the database (the run's status and its held queue rows), so it holds for
 * every server's workers from the commit; whichever server handles the pull or the release applies
 * it. Both directions are idempotent (a run already paused or already resumed is left alone).
 */
public final class RunPauses {
  /** The actor every per-run pause and resume is decided for. */
  static final String ACTOR = "system:kill-switch";

  private final Controls controls;
  private final Engine engine;
  private final DecisionPoint pdp;
  private final TenantDirectory directory;

  public RunPauses(Controls controls, Engine engine, DecisionPoint pdp, TenantDirectory directory) {
    this.controls = controls;
    this.engine = engine;
    this.pdp = pdp;
    this.directory = directory;
  }

  /** What happened to one run: {@code paused}, {@code resumed}, a refusal, or {@code finished}. */
  public record Applied(String runId, String outcome, Decision decision) {}

  /** Pauses the tenant's pending and running runs that {@code k} (just pulled) matches. */
  public List<Applied> pause(Actor by, TenantId tenant, KillSwitch k) {
    List<Applied> out = new ArrayList<>();
    for (RunView run :
        candidates(tenant, k, List.of(RunStatus.PENDING, RunStatus.RUNNING, RunStatus.PAUSED))) {
      Decision d = decide("run.pause", tenant, run, k);
      String outcome;
      if (!d.allow()) {
        outcome = "not_paused";
      } else {
        try {
          var o =
              engine.pauseRun().pause(authorization(tenant, d), tenant, run.runId(), note(k, by));
          outcome = o.changed() ? "paused" : "already_paused";
        } catch (MaestroException e) {
          outcome = "finished"; // it ended between the listing and the pause
        }
      }
      out.add(record(tenant, k, run, d, outcome));
    }
    return out;
  }

  /**
   * Pauses the runs an active pause switch {@code k} matches that are still going: runs admitted by
   * a server that had not yet heard of the switch, and child runs, which start under their parent's
   * admission rather than a decision of their own. Only runs it actually paused are recorded, so a
   * pass that finds nothing writes nothing.
   */
  public List<Applied> catchUp(TenantId tenant, KillSwitch k) {
    List<Applied> out = new ArrayList<>();
    for (RunView run : candidates(tenant, k, List.of(RunStatus.PENDING, RunStatus.RUNNING))) {
      Decision d = decide("run.pause", tenant, run, k);
      if (!d.allow()) {
        continue; // the switch was released meanwhile
      }
      try {
        var o =
            engine
                .pauseRun()
                .pause(authorization(tenant, d), tenant, run.runId(), note(k, actor(tenant)));
        if (o.changed()) {
          out.add(record(tenant, k, run, d, "paused"));
        }
      } catch (MaestroException e) {
        // It ended between the listing and the pause.
      }
    }
    return out;
  }

  /**
   * Resumes the tenant's paused runs that {@code k} (just released) matched, each unless another
   * switch in pause mode still matches it ({@code still_paused}, refused by the policy).
   */
  public List<Applied> resume(Actor by, TenantId tenant, KillSwitch k) {
    List<Applied> out = new ArrayList<>();
    for (RunView run : candidates(tenant, k, List.of(RunStatus.PAUSED))) {
      Decision d = decide("run.resume", tenant, run, k);
      String outcome;
      if (!d.allow()) {
        outcome = "still_paused";
      } else {
        try {
          var o =
              engine.pauseRun().resume(authorization(tenant, d), tenant, run.runId(), note(k, by));
          outcome = o.changed() ? "resumed" : "already_resumed";
        } catch (MaestroException e) {
          outcome = "finished";
        }
      }
      out.add(record(tenant, k, run, d, outcome));
    }
    return out;
  }

  private Applied record(TenantId tenant, KillSwitch k, RunView run, Decision d, String outcome) {
    controls.killSwitches().recordApplied(actor(tenant), d, tenant, k, run.runId(), outcome);
    return new Applied(run.runId(), outcome, d);
  }

  /**
   * The runs of {@code tenant} in {@code statuses} that {@code k} could match: of its workflow (and
   * version) for those scopes, using its task type for {@code task_type}, every run for {@code
   * tenant} and {@code global}. The policy has the last word on each.
   */
  private List<RunView> candidates(TenantId tenant, KillSwitch k, List<RunStatus> statuses) {
    Optional<String> workflow =
        k.scope() == KillSwitch.Scope.WORKFLOW || k.scope() == KillSwitch.Scope.VERSION
            ? Optional.of(k.target())
            : Optional.empty();
    List<RunView> out = new ArrayList<>();
    for (RunStatus s : statuses) {
      Optional<String> cursor = Optional.empty();
      do {
        var page = engine.runs().list(tenant, Optional.of(s), workflow, 500, cursor);
        for (RunView run : page.runs()) {
          if (k.scope() == KillSwitch.Scope.VERSION && !run.version().equals(k.version())) {
            continue;
          }
          if (k.scope() == KillSwitch.Scope.TASK_TYPE
              && !taskTypes(tenant, run).contains(k.target())) {
            continue;
          }
          out.add(run);
        }
        cursor = page.next();
      } while (cursor.isPresent());
    }
    return out;
  }

  private List<String> taskTypes(TenantId tenant, RunView run) {
    return engine
        .registry()
        .manifest(tenant, run.workflow(), run.version(), run.digest())
        .tasks()
        .stream()
        .map(t -> t.uses())
        .distinct()
        .toList();
  }

  private Decision decide(String action, TenantId tenant, RunView run, KillSwitch k) {
    PolicyInput.Builder in = PolicyInput.builder(action, actor(tenant));
    Optional<Tenant> t = directory.tenant(tenant);
    in.tenant(tenant.value(), t.map(Tenant::profile).orElse(null));
    in.tenantStatus(t.map(x -> x.active() ? "active" : "suspended").orElse("not_provisioned"));
    in.resource("run", run.runId(), tenant.value(), null);
    Map<String, Object> workflow = new LinkedHashMap<>();
    workflow.put("name", run.workflow());
    workflow.put("version", run.version());
    workflow.put("taskTypes", taskTypes(tenant, run));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workflow", workflow);
    request.put("killSwitch", k.id());
    in.request(request);
    // The facts as they stand after the pull or release: this process dropped its cache at the
    // commit, so a released switch no longer counts here.
    in.governance(controls.facts(Optional.of(tenant), Optional.empty()));
    return pdp.decide(in.build());
  }

  private static Authorization authorization(TenantId tenant, Decision d) {
    return new Authorization(actor(tenant), d);
  }

  private static ObjectNode note(KillSwitch k, Actor by) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("kill_switch", k.id());
    n.put("switch_by", by.subject());
    n.put("reason", "kill switch " + k.id() + (k.reason().isBlank() ? "" : ": " + k.reason()));
    return n;
  }

  static Actor actor(TenantId tenant) {
    return new Actor(ACTOR, Optional.of(tenant), List.of(), Map.of(), "system");
  }
}
