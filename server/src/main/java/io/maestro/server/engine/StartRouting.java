package io.maestro.server.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.engine.manifest.TaskSpec;
import io.maestro.engine.registry.PublishedWorkflow;
import io.maestro.engine.registry.StartCandidate;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.governance.Bucketing;
import io.maestro.policy.PolicyInput;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The policy's second look at a start, now that the workflow is known, and canary routing.
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
 * decision is the run's admission. A pinned start outside the ramp is refused with {@code
 * ramp_excluded}, as before.
 */
final class StartRouting {
  private final WorkflowRegistry registry;

  StartRouting(WorkflowRegistry registry) {
    this.registry = registry;
  }

  /**
   * The start's admission and the version it runs.
   *
   * @param version the version to start: the request's, the stable one it was routed to, or empty
   *     (the active version, as the request asked)
   * @param from the version the start was routed away from, when it was
   * @param workflow the published version the decision was made on (the one the run starts unless a
   *     publish lands in between)
   */
  record Routed(
      Governed governed,
      Optional<String> version,
      Optional<String> from,
      PublishedWorkflow workflow) {}

  Routed admit(
      PolicyRecheck recheck,
      Governed g,
      String workflow,
      Optional<String> version,
      Optional<String> key) {
    TenantId tenant = g.requireTenant();
    StartCandidate candidate = registry.candidate(tenant, workflow, version);
    PublishedWorkflow wf = candidate.workflow();
    String bucketKey = key.orElseGet(() -> "random:" + UUID.randomUUID());
    Map<String, Object> w = facts(tenant, wf, bucketKey);
    w.put("pinned", version.isPresent());
    Optional<String> stable = candidate.stable();
    stable.ifPresent(s -> w.put("stable", s));
    PolicyInput input = withWorkflow(g.input(), wf, w);
    Decision d = recheck.decide(input);
    Optional<JsonNode> routed =
        d.obligations().stream()
            .filter(o -> "ramp_routed".equals(o.path("type").asText()))
            .findFirst();
    if (routed.isEmpty() || stable.isEmpty()) {
      return new Routed(
          new Governed(g.actor(), d, input, g.scope(), g.tenant()), version, empty(), wf);
    }
    // Routed: decide again on the stable version, which carries no stable of its own, so a start
    // is routed at most once.
    JsonNode o = routed.get();
    PublishedWorkflow to = registry.resolve(tenant, workflow, stable);
    Map<String, Object> rw = facts(tenant, to, bucketKey);
    rw.put("pinned", false);
    // What routed it, as the policy said: the reason (ramp_excluded, workflow_paused), the version
    // it was routed from, the ramp's percentage and step or the pausing switches, the bucket.
    Map<String, Object> why = new LinkedHashMap<>();
    o.fields()
        .forEachRemaining(
            f -> {
              if (!List.of("type", "workflow", "to").contains(f.getKey())) {
                why.put(f.getKey(), f.getValue());
              }
            });
    why.put("decision_id", d.id());
    rw.put("routed", why);
    PolicyInput second = withWorkflow(g.input(), to, rw);
    Decision d2 = recheck.decide(second);
    return new Routed(
        new Governed(g.actor(), d2, second, g.scope(), g.tenant()),
        Optional.of(to.version()),
        Optional.of(wf.version()),
        to);
  }

  private static Optional<String> empty() {
    return Optional.empty();
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
