package io.maestro.server.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.policy.DecisionPoint;
import io.maestro.server.auth.BudgetSource;
import io.maestro.server.auth.Denials;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.auth.UsageSource;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.QueryParams;
import io.maestro.server.http.Route;
import io.maestro.server.metering.TenantBudgets;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.Member;
import io.maestro.tenancy.NewTenant;
import io.maestro.tenancy.Quotas;
import io.maestro.tenancy.TenancyErrors;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantJson;
import io.maestro.tenancy.TenantPatch;
import io.maestro.tenancy.TenantStatus;
import io.maestro.tenancy.Tenants;
import io.maestro.tenancy.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tenancy endpoints: tenants, members, profile assignment and {@code whoami}. Every handler
 * runs behind the policy gate and uses the scope it established ({@link Governed#scope()}), so a
 * tenant actor's reads and writes stay inside its own tenant even if a check above were missing.
 */
public final class TenancyService implements ApiService {
  private static final int MAX_PAGE = 200;

  private final Tenants tenants;
  private final UsageSource usage;
  private final Denials denials;
  private final DecisionPoint pdp;
  private final BudgetSource budgets;

  public TenancyService(Tenants tenants, UsageSource usage, Denials denials, DecisionPoint pdp) {
    this(tenants, usage, denials, pdp, BudgetSource.CAPS_ONLY);
  }

  /**
   * @param budgets the tenant's budget and spend that {@code whoami} shows
   */
  public TenancyService(
      Tenants tenants,
      UsageSource usage,
      Denials denials,
      DecisionPoint pdp,
      BudgetSource budgets) {
    this.budgets = budgets;
    this.tenants = tenants;
    this.pdp = pdp;
    this.usage = usage;
    this.denials = denials;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/tenants", "tenant.read", this::list),
        Route.post("/api/tenants", "tenant.create", this::create),
        Route.get("/api/tenants/{id}", "tenant.read", this::get),
        Route.patch("/api/tenants/{id}", "tenant.update", this::patch),
        Route.get("/api/tenants/{id}/members", "member.read", this::members),
        Route.put("/api/tenants/{id}/members/{subject}", "member.write", this::putMember),
        Route.delete("/api/tenants/{id}/members/{subject}", "member.remove", this::removeMember),
        Route.put("/api/tenants/{id}/profile", "profile.assign", this::assignProfile),
        Route.get("/api/whoami", "profile.read", this::whoami));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    int limit = QueryParams.intValue(req, "limit", 50, 1, MAX_PAGE);
    String after = QueryParams.text(req, "after").orElse("");
    List<Tenant> page = tenants.list(g.scope(), limit, after);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("items");
    page.forEach(t -> items.add(TenantJson.full(t)));
    if (page.size() == limit) {
      out.put("next_after", page.get(page.size() - 1).id().value());
    }
    HttpJson.ok(res, out);
  }

  private void create(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode b = HttpJson.read(req);
    String id = text(b, "id").orElseThrow(() -> invalid("id is required"));
    if (!TenantId.isValid(id)) {
      throw invalid(
          "id must be 2-63 lower-case letters, digits and dashes, starting with a letter");
    }
    Optional<List<String>> regions = regions(b);
    Optional<Quotas> quotas = Optional.empty();
    if (b.has("quotas")) {
      JsonNode q = b.get("quotas");
      try {
        quotas =
            Optional.of(
                new Quotas(
                    integer(q, "max_concurrent_runs").orElse(Quotas.BASELINE.maxConcurrentRuns()),
                    integer(q, "max_steps_per_minute").orElse(Quotas.BASELINE.maxStepsPerMinute()),
                    integer(q, "max_receipt_backlog").orElse(Quotas.BASELINE.maxReceiptBacklog()),
                    bytes(q, "max_storage_bytes").orElse(Quotas.BASELINE.maxStorageBytes()),
                    sandboxQuota(q.path("sandbox")).orElse(Quotas.SandboxQuota.NONE)));
      } catch (IllegalArgumentException e) {
        throw invalid(e.getMessage());
      }
    }
    NewTenant nt =
        new NewTenant(
            TenantId.of(id),
            text(b, "name"),
            text(b, "edition"),
            text(b, "profile"),
            text(b, "home_region"),
            regions,
            quotas,
            decimal(b.path("budget"), "daily_max_usd"));
    Tenant t = tenants.provision(g.actor(), nt, g.decision());
    res.header(HeaderNames.LOCATION, "/api/tenants/" + t.id().value());
    res.header(HeaderNames.ETAG, "\"" + t.version() + "\"");
    HttpJson.send(res, Status.CREATED_201, TenantJson.full(t));
  }

  /** {@code regions} of a request body: absent, or an array of strings. */
  private static Optional<List<String>> regions(JsonNode b) {
    if (!b.has("regions")) {
      return Optional.empty();
    }
    if (!b.get("regions").isArray()) {
      throw invalid("regions must be an array of region codes");
    }
    List<String> regions = new ArrayList<>();
    for (JsonNode r : b.get("regions")) {
      if (!r.isTextual()) {
        throw invalid("regions must be an array of region codes");
      }
      regions.add(r.asText());
    }
    return Optional.of(regions);
  }

  private void get(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    Tenant t = tenants.get(g.scope(), pathTenant(req));
    res.header(HeaderNames.ETAG, "\"" + t.version() + "\"");
    HttpJson.ok(res, TenantJson.full(t));
  }

  private void patch(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId id = pathTenant(req);
    JsonNode b = HttpJson.read(req);
    Optional<TenantStatus> status;
    try {
      status = text(b, "status").map(TenantStatus::parse);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    JsonNode q = b.path("quotas");
    TenantPatch patch =
        new TenantPatch(
            text(b, "name"),
            status,
            integer(q, "max_concurrent_runs"),
            integer(q, "max_steps_per_minute"),
            integer(q, "max_receipt_backlog"),
            decimal(b.path("budget"), "daily_max_usd"),
            bytes(q, "max_storage_bytes"),
            sandboxQuota(q.path("sandbox")),
            regions(b));
    // Quotas, budget and suspension bound what a tenant may consume. Which fields the change
    // touches is known only from the body, so the policy is asked again with them; it refuses
    // such changes to the tenant's own administrators (platform_only).
    List<String> governed = new ArrayList<>();
    patch.status().ifPresent(x -> governed.add("status"));
    if (patch.maxConcurrentRuns().isPresent()
        || patch.maxStepsPerMinute().isPresent()
        || patch.maxReceiptBacklog().isPresent()
        || patch.maxStorageBytes().isPresent()
        || patch.sandbox().isPresent()) {
      governed.add("quota");
    }
    patch.dailyBudgetUsd().ifPresent(x -> governed.add("budget"));
    patch.regions().ifPresent(x -> governed.add("regions"));
    Decision decision = g.decision();
    if (!governed.isEmpty()) {
      // A refusal is recorded and answered like the gate's; a freeze's break-glass use too.
      decision = PolicyRecheck.of(req).decide(g.input().withRequest("fields", governed));
    }
    Optional<Long> ifMatch =
        req.headers()
            .first(HeaderNames.IF_MATCH)
            .map(v -> v.replace("\"", "").trim())
            .map(
                v -> {
                  try {
                    return Long.parseLong(v);
                  } catch (NumberFormatException e) {
                    throw invalid("If-Match must be the tenant's version, e.g. \"3\"");
                  }
                });
    Tenant t = tenants.update(g.actor(), g.scope(), id, patch, ifMatch, decision);
    res.header(HeaderNames.ETAG, "\"" + t.version() + "\"");
    HttpJson.ok(res, TenantJson.full(t));
  }

  private void members(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId id = pathTenant(req);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("items");
    for (Member m : tenants.members(g.scope(), id)) {
      items.add(TenantJson.member(m));
    }
    HttpJson.ok(res, out);
  }

  private void putMember(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId id = pathTenant(req);
    String subject = req.path().pathParameters().get("subject");
    String role = text(HttpJson.read(req), "role").orElseThrow(() -> invalid("role is required"));
    Member m = tenants.putMember(g.actor(), g.scope(), id, subject, role, g.decision());
    HttpJson.ok(res, TenantJson.member(m));
  }

  private void removeMember(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId id = pathTenant(req);
    String subject = req.path().pathParameters().get("subject");
    tenants.removeMember(g.actor(), g.scope(), id, subject, g.decision());
    res.status(Status.NO_CONTENT_204).send();
  }

  private void assignProfile(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId id = pathTenant(req);
    String profile =
        text(HttpJson.read(req), "profile").orElseThrow(() -> invalid("profile is required"));
    Tenant t = tenants.assignProfile(g.actor(), g.scope(), id, profile, g.decision());
    ObjectNode out = TenantJson.full(t);
    out.put("decision_id", g.decision().id());
    out.put("bundle_revision", g.decision().bundleRevision());
    HttpJson.ok(res, out);
  }

  /** Seed 003 §15.2: who the caller is, its tenant, roles, quotas with current use and budget. */
  private void whoami(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("subject", g.actor().subject());
    g.actor()
        .tenant()
        .ifPresentOrElse(t -> out.put("tenant", t.value()), () -> out.putNull("tenant"));
    ArrayNode roles = out.putArray("roles");
    g.actor().roles().forEach(roles::add);
    ObjectNode attrs = out.putObject("attributes");
    g.actor().attributes().forEach(attrs::put);
    out.put("via", g.actor().via());
    g.actor()
        .impersonation()
        .ifPresent(
            i ->
                out.putObject("impersonation")
                    .put("id", i.id())
                    .put("by", i.by())
                    .put("active", i.active()));
    Optional<Tenant> tenant = g.actor().tenant().flatMap(t -> tenants.find(TenantScope.of(t), t));
    tenant.ifPresent(
        t -> {
          Usage u = usage.usage(t.id());
          out.put("profile", t.profile());
          out.put("status", t.status().wire());
          ObjectNode q = out.putObject("quotas");
          q.put("maxConcurrent", t.quotas().maxConcurrentRuns());
          q.put("inUse", u.concurrentRuns());
          q.put("maxStepsPerMinute", t.quotas().maxStepsPerMinute());
          q.put("stepsLastMinute", u.stepsLastMinute());
          q.put("maxReceiptBacklog", t.quotas().maxReceiptBacklog());
          q.put("receiptBacklog", u.receiptBacklog());
          q.put("maxStorageBytes", t.quotas().maxStorageBytes());
          q.put("storageBytes", u.storageBytes());
          // Seed 003 §15.2's dailyMaxUSD and spentUSD (today), with the monthly cap, the month's
          // spend and what remains of each.
          ObjectNode budget = out.putObject("budget");
          budgets.budget(t).forEach((k, v) -> budget.set(k, HttpJson.MAPPER.valueToTree(v)));
          TenantBudgets.addRemaining(
              budget, "dailyMaxUSD", "spentUSD", "reservedUSD", "dailyRemainingUSD");
          TenantBudgets.addRemaining(
              budget,
              "monthlyMaxUSD",
              "monthlySpentUSD",
              "monthlyReservedUSD",
              "monthlyRemainingUSD");
        });
    out.put("decision_id", g.decision().id());
    HttpJson.ok(res, out);
  }

  static TenantId pathTenant(ServerRequest req) {
    String id = req.path().pathParameters().get("id");
    if (!TenantId.isValid(id)) {
      throw MaestroException.of(TenancyErrors.TENANT_NOT_FOUND, "no tenant " + id);
    }
    return TenantId.of(id);
  }

  static Optional<String> text(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw invalid(field + " must be a string");
    }
    return Optional.of(v.asText());
  }

  private static Optional<Integer> integer(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
      throw invalid(field + " must be a non-negative integer");
    }
    return Optional.of(v.asInt());
  }

  /** {@code quotas.sandbox}: the tenant's own ceilings; a field left out is 0, none of its own. */
  private static Optional<Quotas.SandboxQuota> sandboxQuota(JsonNode s) {
    if (s.isMissingNode() || s.isNull()) {
      return Optional.empty();
    }
    if (!s.isObject()) {
      throw invalid("quotas.sandbox must be an object");
    }
    return Optional.of(
        new Quotas.SandboxQuota(
            bytes(s, "max_memory_bytes").orElse(0L),
            bytes(s, "max_cpu_seconds").orElse(0L),
            bytes(s, "max_processes").orElse(0L)));
  }

  private static Optional<Long> bytes(JsonNode b, String field) {
    Optional<Long> v = HttpJson.optionalInteger(b, field);
    if (v.isPresent() && v.get() < 0) {
      throw invalid(field + " must be a non-negative integer");
    }
    return v;
  }

  private static Optional<BigDecimal> decimal(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isNumber()) {
      throw invalid(field + " must be a number");
    }
    return Optional.of(v.decimalValue());
  }

  static MaestroException invalid(String detail) {
    return MaestroException.of(CoreErrors.VALIDATION_FAILED, detail);
  }
}
