package io.maestro.server.auth;

import io.helidon.webserver.http.ServerRequest;
import io.maestro.core.Decision;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.PolicyInput;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Asks the policy again, for a handler that learns from the request body something the policy must
 * judge (the workflow a run starts, its version, task types and ramp bucket): the same decision
 * point, and a refusal is recorded and answered exactly like the gate's. The gate registers one in
 * every governed request's context.
 */
public final class PolicyRecheck {
  private final DecisionPoint pdp;
  private final Denials denials;
  private final Governed governed;
  private final String action;
  private final String method;
  private final String route;
  private final String kind;
  private final String id;
  private final Optional<String> named;
  private final ControlInput controls;

  /** The decisions made here, so the request's answer is recorded beside each of them. */
  private final List<Decision> made = new CopyOnWriteArrayList<>();

  PolicyRecheck(
      DecisionPoint pdp,
      Denials denials,
      Governed governed,
      String action,
      String method,
      String route,
      String kind,
      String id,
      Optional<String> named,
      ControlInput controls) {
    this.pdp = pdp;
    this.denials = denials;
    this.governed = governed;
    this.action = action;
    this.method = method;
    this.route = route;
    this.kind = kind;
    this.id = id;
    this.named = named;
    this.controls = controls;
  }

  public static PolicyRecheck of(ServerRequest req) {
    return req.context()
        .get(PolicyRecheck.class)
        .orElseThrow(
            () ->
                MaestroException.of(
                    CoreErrors.INTERNAL, "the route was served without the policy gate"));
  }

  /**
   * Notes a decision on this request made without asking here (a start's admission, under the
   * budget lock), so the request's answer is recorded beside it as well, and records the use of a
   * break-glass grant it allowed. The caller enforces a refusal.
   */
  public void alsoDecided(Decision d) {
    made.add(d);
    if (d.allow()) {
      recordBreakGlass(d);
    }
  }

  /** The decisions this request made after the gate's, in order. */
  List<Decision> decisions() {
    return List.copyOf(made);
  }

  /** The decision on {@code input}; a refusal is logged, receipted and thrown as the 403. */
  public Decision decide(PolicyInput input) {
    Decision d = pdp.decide(input);
    alsoDecided(d);
    if (!d.allow()) {
      denials.record(governed.actor(), action, method, route, kind, id, named, d);
      throw PolicyGate.refusal(d, Optional.empty());
    }
    return d;
  }

  private void recordBreakGlass(Decision d) {
    governed
        .tenant()
        .ifPresent(
            t -> {
              for (var o : d.obligations()) {
                if ("break_glass_used".equals(o.path("type").asText())) {
                  controls.breakGlassUsed(governed.actor(), d, t, o.path("grant").asText(), action);
                }
              }
            });
  }
}
