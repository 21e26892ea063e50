package io.maestro.server.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.background.BackgroundLoop;
import io.maestro.core.config.MaestroConfig;
import io.maestro.core.json.Json;
import io.maestro.engine.run.RunQueries;
import io.maestro.governance.Controls;
import io.maestro.governance.Incident;
import io.maestro.governance.Incidents;
import io.maestro.governance.Ramp;
import io.maestro.governance.slo.SloSet;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.PolicyInput;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantDirectory;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;

/**
 * Pulls back a canary that fails. On every tick it reads each tenant's canary ramps (one workflow
 * version above 0 %) and judges each ({@link BreachCheck}): its error rate over the short and the
 * long window, its SLOs' fast burn over its own runs, and its tenant's receipt backlog. On a breach
 * it asks the policy for {@code ramp.rollback} as the system actor, the breach's reasons in the
 * input, and, allowed, lowers the ramp to 0 % — a {@code ramp.changed} receipt carrying that
 * decision. The breach opens an incident (or joins the one open on that version), whose timeline
 * records the numbers, the mitigation or its refusal with reasons, and recovery once the version's
 * runs stop failing. It never raises a ramp (the canon pack refuses {@code rollback_must_lower}).
 */
public final class RollbackController implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RollbackController.class.getName());
  static final String COMPONENT = "rollback-controller";

  private final Controls controls;
  private final RunQueries runs;
  private final DecisionPoint pdp;
  private final TenantDirectory directory;
  private final MaestroConfig.Governance settings;
  private final Clock clock;
  private final BreachCheck breaches;
  private final Mitigations mitigations;
  private BackgroundLoop loop;

  public RollbackController(
      Controls controls,
      RunQueries runs,
      DecisionPoint pdp,
      TenantDirectory directory,
      MaestroConfig.Governance settings,
      SloSet slos,
      ToLongFunction<TenantId> receiptBacklog,
      RunPauses pauses,
      Clock clock) {
    this.breaches = new BreachCheck(runs, slos, receiptBacklog, directory, settings, clock);
    this.mitigations = new Mitigations(controls, pauses);
    this.controls = controls;
    this.runs = runs;
    this.pdp = pdp;
    this.directory = directory;
    this.settings = settings;
    this.clock = clock;
  }

  /** Starts checking every {@code governance.rollback.intervalSeconds}; zero leaves it off. */
  public synchronized RollbackController start() {
    if (loop != null || settings.rollbackInterval().isZero()) {
      return this;
    }
    loop =
        BackgroundLoop.afterEach(
            "maestro-rollback-controller", settings.rollbackInterval(), this::check);
    return this;
  }

  /** One pass over every canary and open incident; returns the ramps it lowered. */
  public List<Ramp> check() {
    List<Ramp> lowered = new java.util.ArrayList<>();
    for (Ramp ramp : controls.ramps().activeCanaries()) {
      Optional<BreachCheck.Breach> breach = breaches.check(ramp);
      if (breach.isPresent()) {
        mitigate(ramp, breach.get()).ifPresent(lowered::add);
      }
    }
    for (Incident incident : controls.incidents().openEverywhere()) {
      noteRecovery(incident);
    }
    return lowered;
  }

  private Optional<Ramp> mitigate(Ramp ramp, BreachCheck.Breach breach) {
    TenantId tenant = TenantId.of(ramp.tenant());
    Actor controller = controller(tenant);
    Incidents incidents = controls.incidents();
    Incident incident =
        incidents.breach(controller, tenant, ramp.workflow(), ramp.version(), breach.json());
    Decision decision = decide(controller, tenant, ramp, BigDecimal.ZERO, breach.reasons());
    ObjectNode detail = Json.MAPPER.createObjectNode();
    detail.put("mitigation", "ramp_lowered");
    detail.put("ramp", ramp.workflow() + "@" + ramp.version());
    detail.put("from", ramp.percent());
    detail.put("to", BigDecimal.ZERO);
    var because = detail.putArray("breach");
    breach.reasons().forEach(because::add);
    detail.put("decision_id", decision.id());
    if (!decision.allow()) {
      Mitigations.reasons(detail, decision);
      incidents.note(
          controller,
          Optional.of(decision),
          tenant,
          incident.id(),
          Incidents.MITIGATION_REFUSED,
          detail);
      LOG.warning(
          "canary "
              + ramp.workflow()
              + "@"
              + ramp.version()
              + " of "
              + tenant.value()
              + " breached, and policy refused its rollback: "
              + decision.reasons());
      return Optional.empty();
    }
    Ramp after =
        controls
            .ramps()
            .set(
                controller,
                decision,
                tenant,
                ramp.workflow(),
                Optional.of(ramp.version()),
                Optional.of(ramp.action()),
                BigDecimal.ZERO);
    detail.put("step", after.step());
    incidents.note(
        controller,
        Optional.of(decision),
        tenant,
        incident.id(),
        Incidents.MITIGATION_APPLIED,
        detail);
    mitigations.apply(controller, tenant, incident, decision);
    LOG.warning(
        "canary "
            + ramp.workflow()
            + "@"
            + ramp.version()
            + " of "
            + tenant.value()
            + " breached ("
            + String.join(", ", breach.reasons())
            + "): ramp lowered from "
            + ramp.percent().toPlainString()
            + "% to 0%, incident "
            + incident.id());
    return Optional.of(after);
  }

  /**
   * Once the version's runs stopped failing after a mitigation (and the tenant's receipt backlog is
   * below its threshold again), the timeline says so, once, and the pauses and throttles applied
   * for the incident are lifted.
   */
  private void noteRecovery(Incident incident) {
    List<Incident.Event> t = incident.timeline();
    if (t.isEmpty() || !Incidents.MITIGATION_APPLIED.equals(t.getLast().kind())) {
      return;
    }
    Instant since = t.getLast().at();
    TenantId tenant = TenantId.of(incident.tenant());
    RunQueries.Finished o =
        runs.finishedSince(tenant, incident.workflow(), incident.version(), since);
    long quiet = clock.instant().getEpochSecond() - since.getEpochSecond();
    if (o.failed() > 0
        || quiet < settings.rollbackShortWindow().toSeconds()
        || breaches.backlogBreached(tenant)) {
      return;
    }
    ObjectNode detail = Json.MAPPER.createObjectNode();
    detail.put("quiet_seconds", quiet);
    detail.put("finished_since", o.total());
    detail.put("failed_since", 0);
    Incident recovered =
        controls
            .incidents()
            .note(
                controller(tenant),
                Optional.empty(),
                tenant,
                incident.id(),
                Incidents.RECOVERED,
                detail);
    mitigations.undo(controller(tenant), tenant, recovered, () -> decideUndo(tenant, recovered));
  }

  /** The controller's decision to lift the pauses and throttles it applied for an incident. */
  private Decision decideUndo(TenantId tenant, Incident incident) {
    Actor controller = controller(tenant);
    PolicyInput.Builder in = PolicyInput.builder("mitigation.undo", controller);
    Optional<Tenant> t = directory.tenant(tenant);
    in.tenant(tenant.value(), t.map(Tenant::profile).orElse(null));
    in.tenantStatus(t.map(x -> x.active() ? "active" : "suspended").orElse("not_provisioned"));
    in.resource("incident", incident.id(), tenant.value(), null);
    in.request(Map.of("workflow", incident.workflow(), "version", incident.version()));
    in.governance(controls.facts(Optional.of(tenant), Optional.empty()));
    return pdp.decide(in.build());
  }

  private Decision decide(
      Actor controller, TenantId tenant, Ramp ramp, BigDecimal to, List<String> reasons) {
    PolicyInput.Builder in = PolicyInput.builder("ramp.rollback", controller);
    Optional<Tenant> t = directory.tenant(tenant);
    in.tenant(tenant.value(), t.map(Tenant::profile).orElse(null));
    in.tenantStatus(t.map(x -> x.active() ? "active" : "suspended").orElse("not_provisioned"));
    in.resource("ramp", ramp.workflow() + "@" + ramp.version(), tenant.value(), null);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workflow", ramp.workflow());
    request.put("version", ramp.version());
    request.put("from", ramp.percent());
    request.put("to", to);
    request.put("breach", Map.of("reasons", reasons));
    in.request(request);
    in.governance(controls.facts(Optional.of(tenant), Optional.empty()));
    return pdp.decide(in.build());
  }

  private static Actor controller(TenantId tenant) {
    return new Actor("system:" + COMPONENT, Optional.of(tenant), List.of(), Map.of(), "system");
  }

  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.close();
      loop = null;
    }
  }
}
