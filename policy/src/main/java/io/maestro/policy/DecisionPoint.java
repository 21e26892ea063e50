package io.maestro.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.json.CanonicalJson;
import io.maestro.core.trace.Tracing;
import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleException;
import io.maestro.policy.bundle.BundleVerifier;
import io.maestro.policy.internal.Masking;
import io.maestro.rego.EvalOptions;
import io.maestro.rego.PreparedPolicy;
import io.maestro.rego.Rego;
import io.maestro.rego.RegoException;
import io.maestro.rego.value.Value;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The policy decision point: evaluates {@code data.maestro.authz.decision} of the active, verified
 * bundle for an input and returns a {@link Decision}. Thread-safe; decisions run on the caller's
 * thread, in microseconds, against an immutable prepared policy.
 *
 * <p>It fails closed: when no policy can be evaluated, evaluation errs, exceeds the deadline or
 * returns something other than a decision, the answer is a deny with reason {@code
 * policy_unavailable}. It never activates a bundle whose signature does not verify; a failed {@link
 * #activate} leaves the previous bundle deciding.
 */
public final class DecisionPoint {
  /** The decision every API action asks for. */
  public static final String DECISION_PATH = "maestro/authz/decision";

  /**
   * The set of actions for which the policy judges the tenant's usage (see {@link #usageActions}).
   */
  public static final String USAGE_ACTIONS_PATH = "maestro/quota/consuming_actions";

  /** The mask rule applied to inputs before they are logged (OPA's system.log.mask). */
  public static final String MASK_PATH = "maestro/log/mask";

  private static final Logger LOG = Logger.getLogger(DecisionPoint.class.getName());

  private final PdpSettings settings;
  private final Clock clock;
  private final Ids ids;
  private final DecisionLog log;
  private final AtomicReference<ActiveBundle> active = new AtomicReference<>();
  private final AtomicLong logFailures = new AtomicLong();
  private final AtomicReference<UsageActions> usageActions = new AtomicReference<>();
  private final AtomicReference<PdpFault> fault = new AtomicReference<>();
  private volatile Tracing tracing = Tracing.off();

  /** The usage actions of one activated bundle, computed once per activation. */
  private record UsageActions(ActiveBundle bundle, java.util.Set<String> actions) {}

  private DecisionPoint(
      PdpSettings settings, Clock clock, RandomGenerator random, DecisionLog log) {
    this.settings = Objects.requireNonNull(settings);
    this.clock = Objects.requireNonNull(clock);
    this.ids = new Ids(clock, random);
    this.log = Objects.requireNonNull(log);
  }

  /**
   * Starts a decision point on {@code bundle}, verified with {@code trust}. A bundle that fails
   * verification or compilation stops start-up with a {@link BundleException} whose message says
   * why in one line.
   */
  public static DecisionPoint start(
      PdpSettings settings,
      Bundle bundle,
      BundleVerifier.Config trust,
      Clock clock,
      RandomGenerator random,
      DecisionLog log) {
    DecisionPoint pdp = new DecisionPoint(settings, clock, random, log);
    BundleVerifier.Verified verified = BundleVerifier.verify(bundle, trust);
    pdp.active.set(
        pdp.compile(List.of(new ActiveBundle.Loaded(bundle, verified, bundle.contentDigest()))));
    return pdp;
  }

  /** Starts on the canon bundle embedded in the application, verified with its build key. */
  public static DecisionPoint startCanon(
      PdpSettings settings, Clock clock, RandomGenerator random, DecisionLog log) {
    CanonBundle canon = CanonBundle.load();
    return start(settings, canon.bundle(), canon.trust(), clock, random, log);
  }

  /**
   * Verifies, compiles and then activates {@code candidate} (hot reload). It must be signed by a
   * key of {@link PdpSettings#trust()}. It replaces the loaded bundle with the same name or the
   * same roots (a new revision of it); otherwise it is loaded beside the others, and its roots must
   * not overlap theirs. On any failure the current bundles stay active and the exception says why.
   */
  public synchronized ActiveBundle activate(Bundle candidate) {
    BundleVerifier.Config trust =
        settings
            .trust()
            .orElseThrow(
                () ->
                    new BundleException(
                        candidate.name()
                            + ": no bundle signing keys are configured; only the built-in bundle"
                            + " can be active"));
    BundleVerifier.Verified verified = BundleVerifier.verify(candidate, trust);
    ActiveBundle.Loaded incoming =
        new ActiveBundle.Loaded(candidate, verified, candidate.contentDigest());
    List<ActiveBundle.Loaded> next = new ArrayList<>();
    boolean replaced = false;
    for (ActiveBundle.Loaded l : active.get().loaded()) {
      boolean same =
          l.name().equals(candidate.name())
              || java.util.Set.copyOf(l.bundle().manifest().effectiveRoots())
                  .equals(java.util.Set.copyOf(candidate.manifest().effectiveRoots()));
      if (same && !replaced) {
        next.add(incoming);
        replaced = true;
      } else {
        next.add(l);
      }
    }
    if (!replaced) {
      next.add(incoming);
    }
    ActiveBundle compiled = compile(next);
    active.set(compiled);
    LOG.info(
        () ->
            "policy bundle activated: "
                + candidate.name()
                + " revision "
                + candidate.revision()
                + ", digest "
                + incoming.digest()
                + ", key "
                + verified.keyId());
    return compiled;
  }

  /** Unloads the bundle named {@code name}; the main bundle cannot be removed. */
  public synchronized ActiveBundle remove(String name) {
    ActiveBundle current = active.get();
    if (current.bundle().name().equals(name)) {
      throw new BundleException(
          name + ": the bundle that holds data.maestro.authz cannot be removed");
    }
    List<ActiveBundle.Loaded> next =
        current.loaded().stream().filter(l -> !l.name().equals(name)).toList();
    ActiveBundle compiled = compile(next);
    active.set(compiled);
    return compiled;
  }

  public ActiveBundle active() {
    return active.get();
  }

  public PdpSettings settings() {
    return settings;
  }

  /** How many decision-log writes failed since start (they never change a decision). */
  public long logFailures() {
    return logFailures.get();
  }

  /**
   * Checks that the bundles' roots are disjoint, compiles their modules and data together and
   * orders them main bundle first.
   */
  private ActiveBundle compile(List<ActiveBundle.Loaded> bundles) {
    Map<String, List<String>> roots = new java.util.LinkedHashMap<>();
    bundles.forEach(l -> roots.put(l.name(), l.bundle().manifest().effectiveRoots()));
    io.maestro.policy.bundle.Roots.requireDisjoint(roots);
    Map<String, String> modules = new java.util.LinkedHashMap<>();
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    for (ActiveBundle.Loaded l : bundles) {
      // Prefix module names with the bundle name so equal paths in two bundles stay apart.
      String prefix = bundles.size() == 1 ? "" : l.name() + "/";
      l.bundle().modules().forEach((path, src) -> modules.put(prefix + path, src));
      merge(data, l.bundle().data(), l.name());
    }
    PreparedPolicy policy;
    try {
      policy = Rego.compile(modules, data);
    } catch (RegoException e) {
      String names = String.join(", ", roots.keySet());
      throw new BundleException(names + ": does not compile: " + e.getMessage(), e);
    }
    List<ActiveBundle.Loaded> ordered = new ArrayList<>(bundles);
    ordered.sort(
        java.util.Comparator.comparing(
            l ->
                io.maestro.policy.bundle.Roots.contain(
                        l.bundle().manifest().effectiveRoots(), "maestro/authz")
                    ? 0
                    : 1));
    return new ActiveBundle(ordered, policy, clock.instant());
  }

  private static void merge(ObjectNode target, ObjectNode source, String from) {
    source
        .properties()
        .forEach(
            e -> {
              JsonNode existing = target.get(e.getKey());
              if (existing == null) {
                target.set(e.getKey(), e.getValue());
              } else if (existing.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) e.getValue(), from);
              } else {
                throw new BundleException(
                    from + ": data conflicts with another bundle at '" + e.getKey() + "'");
              }
            });
  }

  /**
   * The actions whose decision depends on the tenant's current usage ({@code
   * data.maestro.quota.consuming_actions} of the active bundle, empty when it has none). Reading
   * usage costs queries, so callers put it into the input for these actions only; the policy, not
   * the caller, says which they are.
   */
  public java.util.Set<String> usageActions() {
    ActiveBundle bundle = active.get();
    UsageActions cached = usageActions.get();
    if (bundle == null) {
      return java.util.Set.of();
    }
    if (cached != null && cached.bundle() == bundle) {
      return cached.actions();
    }
    java.util.Set<String> actions = new java.util.TreeSet<>();
    try {
      Value v =
          bundle
              .policy()
              .evalRef(
                  "data." + USAGE_ACTIONS_PATH.replace('/', '.'),
                  Value.fromJson(JsonNodeFactory.instance.objectNode()),
                  options());
      if (v != null) {
        v.toJson().forEach(a -> actions.add(a.asText()));
      }
    } catch (RegoException e) {
      LOG.warning("cannot read " + USAGE_ACTIONS_PATH + ": " + e.getMessage());
    }
    java.util.Set<String> result = java.util.Set.copyOf(actions);
    usageActions.set(new UsageActions(bundle, result));
    return result;
  }

  /** Decides on {@code input} (the OPA input document; see {@link PolicyInput}). */
  public Decision decide(PolicyInput input) {
    return decide(input.json());
  }

  /**
   * Puts a chaos drill's fault into every decision until it ends (see {@link PdpFault}); {@code
   * null} lifts it.
   */
  public void inject(PdpFault f) {
    fault.set(f);
  }

  /** The fault in force now, if any. */
  public Optional<PdpFault> fault() {
    PdpFault f = fault.get();
    return f != null && clock.instant().isBefore(f.until()) ? Optional.of(f) : Optional.empty();
  }

  /**
   * Spans each decision made inside traced work ({@code policy.decide}: its decision id, action and
   * outcome, never the input). Set once by the composition root; off until then.
   */
  public void traceWith(Tracing t) {
    this.tracing = Objects.requireNonNull(t);
  }

  /** Decides on a raw input document. The input is not modified. */
  public Decision decide(JsonNode rawInput) {
    try (Tracing.Traced span = tracing.nested("policy.decide", SpanKind.INTERNAL)) {
      Decision d = decideUntraced(rawInput);
      span.attribute(Tracing.DECISION_ID, d.id())
          .attribute("maestro.policy.action", rawInput.path("action").asText(""))
          .attribute("maestro.policy.outcome", d.allow() ? "allow" : "deny")
          .attribute("maestro.policy.bundle_revision", d.bundleRevision());
      if (d.failedClosed()) {
        span.failed(Decision.POLICY_UNAVAILABLE);
      }
      return d;
    }
  }

  private Decision decideUntraced(JsonNode rawInput) {
    Instant time = clock.instant();
    long start = System.nanoTime();
    String id = ids.next("dec");
    ObjectNode input = withDefaults(rawInput);
    String digest = CanonicalJson.sha256(input);
    ActiveBundle bundle = active.get();
    PdpFault f = fault().orElse(null);
    Decision decision;
    if (bundle == null) {
      decision = unavailable(id, "", digest, time, "no policy bundle is active");
    } else if (f != null && f.kind() == PdpFault.Kind.OUTAGE) {
      decision = unavailable(id, bundle.revision(), digest, time, "the decision point is out");
    } else if (f != null && !sleep(f.latency())) {
      decision = unavailable(id, bundle.revision(), digest, time, "interrupted while waiting");
    } else if (f != null && f.latency().compareTo(settings.deadline()) > 0) {
      // The wait happened before evaluation; a decision later than the deadline is no decision.
      decision =
          unavailable(
              id,
              bundle.revision(),
              digest,
              time,
              "evaluation exceeded its deadline of " + settings.deadline().toMillis() + " ms");
    } else {
      decision = evaluate(bundle, input, id, digest, time);
    }
    record(bundle, decision, input, Duration.ofNanos(System.nanoTime() - start));
    return decision;
  }

  private Decision evaluate(
      ActiveBundle bundle, ObjectNode input, String id, String digest, Instant time) {
    JsonNode result;
    try {
      Value v =
          bundle
              .policy()
              .evalRef("data." + DECISION_PATH.replace('/', '.'), Value.fromJson(input), options());
      if (v == null) {
        return unavailable(id, bundle.revision(), digest, time, "the decision is undefined");
      }
      result = v.toJson();
    } catch (RegoException e) {
      String why =
          "eval_cancel_error".equals(e.code())
              ? "evaluation exceeded its deadline of " + settings.deadline().toMillis() + " ms"
              : "evaluation failed: " + e.getMessage();
      return unavailable(id, bundle.revision(), digest, time, why);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.log(Level.WARNING, "policy evaluation failed", e);
      return unavailable(
          id,
          bundle.revision(),
          digest,
          time,
          "evaluation failed: " + e.getClass().getSimpleName());
    }
    if (!result.isObject() || !result.path("allow").isBoolean()) {
      return unavailable(
          id, bundle.revision(), digest, time, "the decision is not {allow, reasons, obligations}");
    }
    List<Decision.Reason> reasons = new ArrayList<>();
    for (JsonNode r : result.path("reasons")) {
      reasons.add(
          new Decision.Reason(r.path("code").asText("unspecified"), r.path("message").asText("")));
    }
    List<JsonNode> obligations = new ArrayList<>();
    result.path("obligations").forEach(obligations::add);
    boolean allow = result.get("allow").booleanValue();
    if (!allow && reasons.isEmpty()) {
      // A refusal must say why; a policy that forgets to still refuses.
      reasons.add(new Decision.Reason("denied", "the policy denied the action"));
    }
    return new Decision(
        id,
        allow,
        reasons,
        allow ? obligations : List.of(),
        bundle.revision(),
        digest,
        DECISION_PATH,
        time);
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private EvalOptions options() {
    return EvalOptions.defaults().withClock(clock).withTimeout(settings.deadline());
  }

  private Decision unavailable(
      String id, String revision, String digest, Instant time, String why) {
    return new Decision(
        id,
        false,
        List.of(new Decision.Reason(Decision.POLICY_UNAVAILABLE, "no policy decision: " + why)),
        List.of(),
        revision,
        digest,
        DECISION_PATH,
        time);
  }

  /** Fills the profile and governance profile the server's configuration chooses. */
  private ObjectNode withDefaults(JsonNode raw) {
    ObjectNode input =
        raw != null && raw.isObject()
            ? ((ObjectNode) raw).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    JsonNode tenant = input.get("tenant");
    if (tenant == null || tenant.isObject()) {
      ObjectNode t = tenant == null ? input.putObject("tenant") : (ObjectNode) tenant;
      if (!t.path("profile").isTextual()) {
        t.put("profile", settings.defaultProfile());
      }
    }
    JsonNode platform = input.get("platform");
    if (platform == null || platform.isObject()) {
      ObjectNode p = platform == null ? input.putObject("platform") : (ObjectNode) platform;
      if (!p.path("profile").isTextual()) {
        p.put("profile", settings.governanceProfile());
      }
      if (!p.path("edition").isTextual()) {
        p.put("edition", settings.edition());
      }
      // The SKU's feature gates: the maestro.sku pack refuses a gated action that is off. An
      // input that already names them (a simulation, a replay) keeps its own.
      if (settings.sku().isPresent() && !p.has("features")) {
        p.put("sku", settings.sku().get().name());
        ObjectNode f = p.putObject("features");
        settings.sku().get().features().forEach(f::put);
      }
    }
    return input;
  }

  private void record(
      ActiveBundle bundle, Decision decision, ObjectNode input, Duration evaluation) {
    if (log == DecisionLog.NONE) {
      return; // nothing reads the entry, so skip the mask evaluation too
    }
    try {
      Masking.Applied masked = mask(bundle, input);
      Optional<String> tenant =
          Optional.ofNullable(input.path("resource").path("tenant").textValue())
              .or(() -> Optional.ofNullable(input.path("tenant").path("id").textValue()))
              .or(() -> Optional.ofNullable(input.path("actor").path("tenant").textValue()));
      log.record(
          new DecisionLogEntry(
              decision,
              tenant,
              bundle == null ? Map.of() : bundle.revisions(),
              masked.input(),
              masked.erased(),
              masked.masked(),
              evaluation));
    } catch (RuntimeException e) {
      logFailures.incrementAndGet();
      LOG.log(Level.WARNING, "decision log write failed for " + decision.id(), e);
    }
  }

  private Masking.Applied mask(ActiveBundle bundle, ObjectNode input) {
    if (bundle == null) {
      return new Masking.Applied(input, List.of(), List.of());
    }
    ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
    wrapper.set("input", input);
    Value rules;
    try {
      rules =
          bundle
              .policy()
              .evalRef("data." + MASK_PATH.replace('/', '.'), Value.fromJson(wrapper), options());
    } catch (RegoException e) {
      // Logging the whole input when the mask rule fails could leak what it protects.
      LOG.warning("mask rule failed; the input is left out of the decision log: " + e.getMessage());
      return new Masking.Applied(null, List.of("/input"), List.of());
    }
    return Masking.apply(input, rules == null ? null : rules.toJson());
  }

  /** For the catalog and diagnostics: revision, digest and signer of the active bundle. */
  public Map<String, String> status() {
    ActiveBundle b = active.get();
    if (b == null) {
      return Map.of("state", "no bundle");
    }
    return Map.of(
        "revision", b.revision(),
        "digest", b.digest(),
        "key_id", b.verified().keyId(),
        "bundles", String.valueOf(b.revisions().size()),
        "activated_at", b.activatedAt().toString());
  }
}
