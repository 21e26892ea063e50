package io.maestro.server.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.logging.LogFields;
import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import io.maestro.metering.MeteringErrors;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.PolicyInput;
import io.maestro.server.http.Route;
import io.maestro.server.http.RouteGuard;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.Roles;
import io.maestro.tenancy.ScopeGuard;
import io.maestro.tenancy.TenancyErrors;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantDirectory;
import io.maestro.tenancy.Usage;
import io.maestro.tenancy.identity.InvalidTokenException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one gate every non-public route passes: authenticate the bearer token (401 {@code
 * invalid_token} otherwise), work out which tenant the request targets, build the policy input
 * (seed 003 §8 contract, as {@link PolicyInput} extends it), ask the decision point, and either
 * refuse — a {@code policy.denied} receipt and a 403 problem with the {@code reasons} and the
 * {@code decision_id} — or hand the handler a {@link Governed} with the actor, the decision and the
 * tenant scope its transactions must use.
 *
 * <p>The target tenant is the {@code {id}} of {@code /api/tenants/{id}/…} routes, else the {@code
 * tenant} query parameter, else the {@code X-Maestro-Tenant} header, else the actor's own tenant; a
 * platform actor with neither targets all tenants ({@code "*"}, which only the edition's
 * cross-tenant grants allow). A tenant actor's transactions are always scoped to its own tenant,
 * whatever it targets.
 *
 * <p>Thread-safe; it runs on the request's thread and touches the database only to read usage for
 * capacity-consuming actions and to record refusals.
 */
public final class PolicyGate implements RouteGuard {
  public static final HeaderName TENANT_HEADER = HeaderNames.create("X-Maestro-Tenant");
  private static final HeaderName WWW_AUTHENTICATE = HeaderNames.create("WWW-Authenticate");
  private static final String TENANT_ROUTES = "/api/tenants/{id}";

  private final Authenticator authn;
  private final DecisionPoint pdp;
  private final TenantDirectory directory;
  private final UsageSource usage;
  private final Denials denials;
  private final ScopeGuard guard;
  private final BudgetSource budgets;
  private final ControlInput controls;
  private final RequestResults results;

  /**
   * @param budgets the tenant's budget and spend, read (like usage) only for the actions that
   *     consume capacity
   * @param controls the release-governance controls every policy input carries
   * @param results where each decided request's answer (its HTTP status) is recorded, beside its
   *     decision, for the compliance bundle's access log
   */
  public PolicyGate(
      Authenticator authn,
      DecisionPoint pdp,
      TenantDirectory directory,
      UsageSource usage,
      Denials denials,
      ScopeGuard guard,
      BudgetSource budgets,
      ControlInput controls,
      RequestResults results) {
    this.results = results;
    this.budgets = budgets;
    this.authn = authn;
    this.pdp = pdp;
    this.directory = directory;
    this.usage = usage;
    this.denials = denials;
    this.guard = guard;
    this.controls = controls;
  }

  /** The header naming the break-glass grant a request means to act under. */
  public static final HeaderName BREAK_GLASS_HEADER = HeaderNames.create("X-Maestro-Break-Glass");

  @Override
  public Handler wrap(Route route) {
    if (route.isPublic()) {
      return route.handler();
    }
    return (req, res) -> {
      Governed governed;
      try {
        governed = admit(route, req);
      } catch (InvalidTokenException e) {
        // RFC 6750 §3: tell the client which scheme to use and that its token was the problem.
        res.header(WWW_AUTHENTICATE, "Bearer realm=\"maestro\", error=\"invalid_token\"");
        throw e;
      }
      req.context().register(governed);
      String kind = kind(route.action());
      req.context()
          .register(
              new PolicyRecheck(
                  pdp,
                  denials,
                  governed,
                  route.action(),
                  route.method().text(),
                  route.path(),
                  kind,
                  resourceId(route, req).orElse("*"),
                  namedTenant(route, req),
                  controls));
      try {
        route.handler().handle(req, res);
      } catch (MaestroException e) {
        if (e.code().status() == 404) {
          // Another tenant's resource and a missing one get the same 404; the receipt keeps the
          // attempt in the actor's own log either way.
          denials.recordNotFound(
              governed.actor(),
              route.action(),
              route.method().text(),
              route.path(),
              kind(route.action()),
              resourceId(route, req).orElse("*"),
              governed.tenant().map(TenantId::value),
              governed.decision(),
              e.code().code());
        }
        throw e;
      }
    };
  }

  /** The gate's decision on the request being served, and the tenants its input named. */
  private record Decided(Decision decision, Optional<String> asked, String resourceTenant) {}

  /**
   * Records how a decided request was answered, beside the gate's decision and every re-check the
   * handler made (the one that authorized the effect carries its receipts); requests refused before
   * a decision have none.
   */
  @Override
  public void served(ServerRequest req, int status) {
    req.context()
        .get(Decided.class)
        .ifPresent(
            d -> {
              try {
                results.record(d.decision(), d.asked(), d.resourceTenant(), status);
                for (Decision again :
                    req.context()
                        .get(PolicyRecheck.class)
                        .map(PolicyRecheck::decisions)
                        .orElse(List.of())) {
                  results.record(again, d.asked(), d.resourceTenant(), status);
                }
              } catch (RuntimeException e) {
                // The answer is already sent; a result that cannot be recorded is logged, and the
                // access log shows the decision without a status.
                java.util.logging.Logger.getLogger(PolicyGate.class.getName())
                    .warning(
                        "could not record the result of decision " + d.decision().id() + ": " + e);
              }
            });
  }

  /** Authenticates and authorizes one request; throws the problem to answer when refused. */
  Governed admit(Route route, ServerRequest req) {
    Actor actor = authn.authenticate(req);
    boolean platform = actor.roles().stream().anyMatch(Roles.PLATFORM::contains);
    Optional<String> named = namedTenant(route, req);

    // What the policy is told the resource's tenant is. With the code-level check off (the
    // isolation suite's "RLS alone" run), a tenant actor's request is described as being about its
    // own tenant, so only the database scope stands between it and another tenant's rows.
    String resourceTenant;
    if (!guard.enforcing() && actor.tenant().isPresent()) {
      resourceTenant = actor.tenant().get().value();
    } else {
      resourceTenant =
          named.orElseGet(() -> actor.tenant().map(TenantId::value).orElse(platform ? "*" : null));
    }

    // The tenant whose profile, quotas and status govern: the actor's own, or for platform actors
    // the one they target. A foreign tenant's settings never shape a tenant actor's answer, so the
    // answer cannot reveal whether that tenant exists.
    Optional<TenantId> governing =
        actor.tenant().isPresent() && !platform
            ? actor.tenant()
            : named.filter(TenantId::isValid).map(TenantId::of).or(actor::tenant);
    Optional<Tenant> tenant = governing.flatMap(directory::tenant);

    String kind = kind(route.action());
    String id = resourceId(route, req).orElse(resourceTenant == null ? "*" : resourceTenant);
    // Kill switches, ramps, freezes and break-glass grants: the policy decides with them.
    Optional<String> grant =
        req.headers().first(BREAK_GLASS_HEADER).map(String::trim).filter(s -> !s.isEmpty());
    PolicyInput input =
        input(
            actor,
            route.action(),
            route.method().text(),
            route.path(),
            governing,
            tenant,
            resourceTenant,
            id,
            grant);

    // The gate enforces what the decision point decides; it adds no refusal of its own, so every
    // 403 is the logged decision with the same id.
    Decision decision = pdp.decide(input);
    // Kept for served(): the request's answer is recorded beside this decision, allowed or not.
    req.context()
        .register(
            new Decided(
                decision,
                governing.map(TenantId::value),
                resourceTenant != null
                    ? resourceTenant
                    : actor.tenant().map(TenantId::value).orElse(null)));
    LogFields.put(LogFields.DECISION_ID, decision.id());
    LogFields.put(LogFields.TENANT, actor.tenant().map(TenantId::value).orElse(named.orElse(null)));
    if (route.path().startsWith(RUN_ROUTES)) {
      LogFields.put(LogFields.RUN_ID, req.path().pathParameters().first("id").orElse(null));
    }
    if (!decision.allow()) {
      denials.record(
          actor, route.action(), route.method().text(), route.path(), kind, id, named, decision);
      throw refusal(decision, explanation(req, actor, governing, input, decision));
    }

    recordBreakGlass(actor, decision, governing, route.action());

    TenantScope scope;
    Optional<TenantId> acting;
    if (actor.tenant().isPresent() && !platform) {
      acting = actor.tenant();
    } else {
      acting = named.filter(TenantId::isValid).map(TenantId::of).or(actor::tenant);
    }
    scope = acting.map(TenantScope::of).orElse(TenantScope.platform());
    return new Governed(actor, decision, input, scope, acting);
  }

  /** The policy input of an action (seed §8 contract), as every gated request and system start. */
  private PolicyInput input(
      Actor actor,
      String action,
      String method,
      String path,
      Optional<TenantId> governing,
      Optional<Tenant> tenant,
      String resourceTenant,
      String id,
      Optional<String> grant) {
    // Usage costs queries, so it is read only for the actions the policy judges it for.
    Optional<Usage> used =
        tenant.filter(t -> pdp.usageActions().contains(action)).map(t -> usage.usage(t.id()));
    PolicyInput.Builder in = PolicyInput.builder(action, actor);
    governing.ifPresent(
        t -> {
          in.tenant(t.value(), tenant.map(Tenant::profile).orElse(null));
          in.tenantStatus(
              tenant.map(x -> x.active() ? "active" : "suspended").orElse("not_provisioned"));
          tenant.flatMap(Tenant::demoOperator).ifPresent(in::demoOperator);
        });
    tenant.ifPresent(
        t -> {
          in.regions(t.regions());
          in.quota(
              Map.of(
                  "maxConcurrent", t.quotas().maxConcurrentRuns(),
                  "maxStepsPerMinute", t.quotas().maxStepsPerMinute(),
                  "maxReceiptBacklog", t.quotas().maxReceiptBacklog()));
          if (used.isPresent()) {
            Usage u = used.get();
            Map<String, Object> budget = budgets.budget(t);
            in.budget(budget);
            in.usage(
                Map.of(
                    "concurrentRuns", u.concurrentRuns(),
                    "stepsLastMinute", u.stepsLastMinute(),
                    "receiptBacklog", u.receiptBacklog(),
                    "spentUSD", budget.getOrDefault("spentUSD", u.spentUsd())));
          } else {
            in.budget(Map.of("dailyMaxUSD", t.dailyBudgetUsd()));
          }
        });
    in.resource(kind(action), id, resourceTenant, null);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("method", method);
    request.put("route", path);
    request.put("resourceClass", kind(action));
    Optional.ofNullable(actor.attributes().get("region")).ifPresent(r -> request.put("region", r));
    in.request(request);
    in.governance(controls.facts(governing.filter(t -> tenant.isPresent()), grant));
    return in.build();
  }

  /**
   * What the gate hands work the server starts on its own — a schedule's tick, a webhook trigger's
   * request: the decision on {@code action} by the system actor in {@code tenant}, on the same
   * input a request to {@code method path} would get (tenant status, quotas, usage and budget,
   * controls), and the recheck the start path asks again with. The caller enforces the decision;
   * nothing is recorded for a refusal here (the caller records it with the tick or request).
   */
  public record SystemAdmission(Governed governed, PolicyRecheck recheck) {}

  public SystemAdmission admitSystem(
      Actor actor, String action, TenantId tenant, String method, String path, String resourceId) {
    if (!"system".equals(actor.via())) {
      throw new IllegalArgumentException("only system actors are admitted without a request");
    }
    Optional<Tenant> t = directory.tenant(tenant);
    PolicyInput input =
        input(
            actor,
            action,
            method,
            path,
            Optional.of(tenant),
            t,
            tenant.value(),
            resourceId,
            Optional.empty());
    Decision decision = pdp.decide(input);
    Governed g = new Governed(actor, decision, input, TenantScope.of(tenant), Optional.of(tenant));
    return new SystemAdmission(
        g,
        new PolicyRecheck(
            pdp,
            denials,
            g,
            action,
            method,
            path,
            kind(action),
            resourceId,
            Optional.of(tenant.value()),
            controls));
  }

  /** An action a break-glass grant let through a freeze is recorded under the grant. */
  private void recordBreakGlass(
      Actor actor, Decision decision, Optional<TenantId> tenant, String action) {
    if (tenant.isEmpty()) {
      return;
    }
    for (var o : decision.obligations()) {
      if ("break_glass_used".equals(o.path("type").asText())) {
        controls.breakGlassUsed(actor, decision, tenant.get(), o.path("grant").asText(), action);
      }
    }
  }

  /** Routes whose {@code id} is a run id, for the log lines' {@code run_id}. */
  private static final String RUN_ROUTES = "/api/runs/{id}";

  private Optional<String> namedTenant(Route route, ServerRequest req) {
    if (route.path().equals(TENANT_ROUTES) || route.path().startsWith(TENANT_ROUTES + "/")) {
      return req.path().pathParameters().first("id").asOptional();
    }
    // Some routes name their tenant in a query parameter; it is a target like any other.
    Optional<String> query = req.query().first("tenant").asOptional();
    if (query.isPresent()) {
      return query;
    }
    return req.headers().first(TENANT_HEADER).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** The last path parameter names the resource, e.g. a run id or a member's subject. */
  private static Optional<String> resourceId(Route route, ServerRequest req) {
    String[] parts = route.path().split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      String p = parts[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        return req.path().pathParameters().first(p.substring(1, p.length() - 1)).asOptional();
      }
    }
    return Optional.empty();
  }

  static String kind(String action) {
    int dot = action.indexOf('.');
    return dot > 0 ? action.substring(0, dot) : action;
  }

  /**
   * With {@code ?explain=true}, and when the actor may read policy ({@code policy.read} in its
   * tenant), a refusal also carries the full input and result.
   */
  public Optional<ObjectNode> explanation(
      ServerRequest req,
      Actor actor,
      Optional<TenantId> tenant,
      PolicyInput input,
      Decision decision) {
    if (!"true".equals(req.query().first("explain").asOptional().orElse(""))) {
      return Optional.empty();
    }
    PolicyInput.Builder may = PolicyInput.builder("policy.read", actor);
    tenant.ifPresent(
        t -> may.tenant(t.value(), directory.tenant(t).map(Tenant::profile).orElse(null)));
    may.resource("policy", "explain", tenant.map(TenantId::value).orElse("*"), null);
    if (!pdp.decide(may.build()).allow()) {
      return Optional.empty();
    }
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.set("input", input.json());
    e.set("result", decision.resultJson());
    e.put("bundle_revision", decision.bundleRevision());
    e.put("input_digest", decision.inputDigest());
    e.put("path", decision.path());
    return Optional.of(e);
  }

  /** The problem for a refused decision: its reasons and id, and the explanation when asked. */
  public static MaestroException refusal(Decision d, Optional<ObjectNode> explanation) {
    List<String> codes = d.reasons().stream().map(Decision.Reason::code).toList();
    ErrorCode code;
    if (d.failedClosed()) {
      // No decision could be made (no bundle, an evaluation error, the deadline, a PDP outage):
      // refused all the same, but as the outage it is (503, retryable), not as a policy's "no".
      code = io.maestro.policy.PolicyErrors.POLICY_UNAVAILABLE;
    } else if (codes.contains("tenant_missing")) {
      code = TenancyErrors.TENANT_MISSING;
    } else if (codes.contains("tenant_suspended")) {
      code = TenancyErrors.TENANT_SUSPENDED;
    } else if (!codes.isEmpty() && codes.stream().allMatch(c -> c.startsWith("quota_"))) {
      code = TenancyErrors.QUOTA_EXCEEDED;
    } else if (!codes.isEmpty() && codes.stream().allMatch("budget_exceeded"::equals)) {
      code = MeteringErrors.BUDGET_EXCEEDED;
    } else {
      code = TenancyErrors.POLICY_DENIED;
    }
    List<Map<String, String>> reasons = new ArrayList<>();
    for (Decision.Reason r : d.reasons()) {
      reasons.add(Map.of("code", r.code(), "message", r.message()));
    }
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("reasons", reasons);
    ext.put("decision_id", d.id());
    explanation.ifPresent(x -> ext.put("explanation", x));
    String detail = d.reasons().isEmpty() ? "denied by policy" : d.reasons().get(0).message();
    return new MaestroException(
        code, detail, ext, code == TenancyErrors.QUOTA_EXCEEDED || d.failedClosed(), null);
  }
}
