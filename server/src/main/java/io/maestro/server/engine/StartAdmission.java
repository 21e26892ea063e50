package io.maestro.server.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.engine.Authorization;
import io.maestro.engine.manifest.TaskSpec;
import io.maestro.engine.registry.PublishedWorkflow;
import io.maestro.engine.registry.StartCandidate;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.engine.run.StartRun;
import io.maestro.engine.run.StartRunHandler;
import io.maestro.governance.Bucketing;
import io.maestro.policy.PolicyInput;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.metering.RunCostAdmission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Where a start is admitted, once the body named its workflow: one policy decision after the
 * gate's, on the gate's input with the workflow's facts and, when budgets are on, the run's
 * estimate and the tenant's budget (ADR 0059).
 *
 * <p>The input names the workflow, the version the start would run, the task types it uses (for
 * kill switches), the run's ramp bucket (the hash of tenant, workflow and the idempotency key; a
 * random key when the request has none, carried in the input so the decision replays) and whether
 * the caller <em>pinned</em> the version (named it in the request). An unpinned start also carries
 * the workflow's <em>stable</em> version: the most recently published version other than the one it
 * would run. When the canon pack finds such a start outside a ramp on its version, or its version
 * (alone) paused by a kill switch, it does not refuse it but answers with a {@code ramp_routed}
 * obligation; the start is then decided again on the stable version, with the routing ({@code
 * routed}: from, ramp percentage, step, bucket, the first decision's id) in the input, and that
 * decision is the run's admission. The stable version carries no stable of its own, so a start is
 * routed at most once. A pinned start outside the ramp is refused with {@code ramp_excluded}.
 *
 * <p>With budgets ({@link RunCostAdmission}), each decision is the cost admission: the version is
 * estimated first, then the decision is made with the estimate and the budget as it stands (under
 * the tenant's budget lock when the run is created there, see {@link RunCostAdmission#decide}). A
 * decision that routes the start creates no run; the stable version is estimated and decided in
 * turn. Without budgets, the decision is the policy's look at the workflow alone.
 */
final class StartAdmission {
  private final WorkflowRegistry registry;
  private final StartRunHandler runs;
  private final Optional<RunCostAdmission> costs;

  StartAdmission(
      WorkflowRegistry registry, StartRunHandler runs, Optional<RunCostAdmission> costs) {
    this.registry = registry;
    this.runs = runs;
    this.costs = costs;
  }

  /**
   * Admits a start: the decision the run starts under, or the refusal thrown as its problem
   * (already logged and receipted).
   *
   * @param recheck the request's (or the system start's) recheck, which hears every decision
   * @param req the request, when there is one (for {@code ?explain=true})
   * @param version the version the caller named, if any
   * @param command the command that starts the run of the given version (empty: the active one)
   *     under the given authorization, to start it here once admitted (with budgets, in the budget
   *     lock's transaction); empty when the caller starts it later (system starts)
   */
  EngineService.Admission admit(
      PolicyRecheck recheck,
      Optional<ServerRequest> req,
      Governed g,
      String workflow,
      Optional<String> version,
      Optional<String> key,
      Optional<BiFunction<Optional<String>, Authorization, StartRun>> command) {
    TenantId tenant = g.requireTenant();
    StartCandidate candidate = registry.candidate(tenant, workflow, version);
    PublishedWorkflow wf = candidate.workflow();
    String bucketKey = key.orElseGet(() -> "random:" + UUID.randomUUID());
    Map<String, Object> w = facts(tenant, wf, bucketKey);
    w.put("pinned", version.isPresent());
    Optional<String> stable = candidate.stable();
    stable.ifPresent(s -> w.put("stable", s));
    EngineService.Admission first =
        decide(
            recheck,
            req,
            g,
            wf,
            withWorkflow(g.input(), wf, w),
            stable.isPresent(),
            command.map(c -> forVersion(c, version)));
    Decision d = first.authorization().decision().orElseThrow();
    Optional<JsonNode> routed = stable.isPresent() ? routing(d) : Optional.empty();
    if (routed.isEmpty()) {
      return first.at(version, Optional.empty());
    }
    // Routed: decide again on the stable version.
    PublishedWorkflow to = registry.resolve(tenant, workflow, stable);
    Map<String, Object> rw = facts(tenant, to, bucketKey);
    rw.put("pinned", false);
    // What routed it, as the policy said: the reason (ramp_excluded, workflow_paused), the version
    // it was routed from, the ramp's percentage and step or the pausing switches, the bucket.
    Map<String, Object> why = new LinkedHashMap<>();
    routed
        .get()
        .fields()
        .forEachRemaining(
            f -> {
              if (!List.of("type", "workflow", "to").contains(f.getKey())) {
                why.put(f.getKey(), f.getValue());
              }
            });
    why.put("decision_id", d.id());
    rw.put("routed", why);
    Optional<String> toVersion = Optional.of(to.version());
    return decide(
            recheck,
            req,
            g,
            to,
            withWorkflow(g.input(), to, rw),
            false,
            command.map(c -> forVersion(c, toVersion)))
        .at(toVersion, Optional.of(wf.version()));
  }

  /**
   * The decision on {@code input}: with budgets, the cost admission (a decision that routes the
   * start, when {@code mayRoute}, starts nothing); without, the recheck's. An allowed start that is
   * not routed is started with {@code command} when there is one.
   */
  private EngineService.Admission decide(
      PolicyRecheck recheck,
      Optional<ServerRequest> req,
      Governed g,
      PublishedWorkflow wf,
      PolicyInput input,
      boolean mayRoute,
      Optional<Function<Authorization, StartRun>> command) {
    if (costs.isEmpty()) {
      Authorization auth = new Authorization(g.actor(), recheck.decide(input));
      boolean routed = mayRoute && routing(auth.decision().orElseThrow()).isPresent();
      return new EngineService.Admission(
          auth,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          command.filter(c -> !routed).map(c -> runs.handle(c.apply(auth))));
    }
    RunCostAdmission.Decided<StartRun.Started> d =
        costs
            .get()
            .decide(
                recheck,
                req,
                g,
                wf,
                input,
                decision -> mayRoute && routing(decision).isPresent(),
                command.map(
                    c ->
                        (tx, decision) ->
                            runs.handle(tx, c.apply(new Authorization(g.actor(), decision)))));
    return new EngineService.Admission(
        new Authorization(g.actor(), d.admitted().decision()),
        Optional.of(d.admitted()),
        Optional.empty(),
        Optional.empty(),
        d.run());
  }

  private static Function<Authorization, StartRun> forVersion(
      BiFunction<Optional<String>, Authorization, StartRun> command, Optional<String> version) {
    return a -> command.apply(version, a);
  }

  private static Optional<JsonNode> routing(Decision d) {
    return d.obligations().stream()
        .filter(o -> "ramp_routed".equals(o.path("type").asText()))
        .findFirst();
  }

  private static Map<String, Object> facts(TenantId tenant, PublishedWorkflow wf, String key) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("name", wf.name());
    w.put("version", wf.version());
    w.put("key", key);
    w.put("bucket", Bucketing.bucket(tenant.value(), wf.name(), key));
    w.put(
        "taskTypes",
        wf.manifest().tasks().stream().map(TaskSpec::uses).distinct().sorted().toList());
    return w;
  }

  /**
   * The gate's input with the start's workflow facts as {@code request.workflow} and the version's
   * own attributes as {@code resource.attributes}: its region (for the residency rules: a tenant
   * runs only in its allowed regions) and its risk (for the approval rules), as its manifest
   * declares them.
   */
  private static PolicyInput withWorkflow(
      PolicyInput gate, PublishedWorkflow wf, Map<String, Object> facts) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    wf.manifest().region().ifPresent(r -> attributes.put("region", r));
    attributes.put("risk_profile", wf.manifest().risk().name().toLowerCase(Locale.ROOT));
    return gate.withRequest("workflow", facts).withResourceAttributes(attributes);
  }
}
