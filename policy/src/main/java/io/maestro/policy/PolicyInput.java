package io.maestro.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.json.Json;
import java.util.Map;
import java.util.Objects;

/**
 * The OPA input document of an authorization decision. It extends the contract of the sprint plan
 * (seed 003 §8: {@code actor{sub, roles, tenant}}, {@code tenant{quota, budget}}, {@code request},
 * {@code plan}) and never breaks it:
 *
 * <pre>
 * { "action":   "workflow.run",
 *   "actor":    {"sub", "roles": [...], "tenant", "via" (only "system"), "attributes": {environment, region, risk_profile,
 *                business_unit, data_sensitivity}},
 *   "tenant":   {"id", "profile", "status", "regions": [...], "demo": {"operator"} (a demo tenant),
 *                "quota": {"maxConcurrent", "maxStepsPerMinute", "maxReceiptBacklog"},
 *                "budget": {"dailyMaxUSD"},
 *                "usage": {"concurrentRuns", "stepsLastMinute", "receiptBacklog", "spentUSD"}},
 *   "resource": {"type", "id", "tenant", "attributes": {...}},
 *   "request":  {"resourceClass", "region", "environment", ...},
 *   "plan":     {"estimatedCostUSD", ...},
 *   "approvals": [{"by", "role"}],
 *   "governance": {"killSwitches", "ramps", "freeze", "breakGlass", "breakGlassNamed"},
 *   "platform": {"profile", "edition"} }      (filled by the decision point)
 * </pre>
 */
public record PolicyInput(ObjectNode json) {
  private static final ObjectMapper JSON = Json.MAPPER;

  public PolicyInput {
    json = Objects.requireNonNull(json).deepCopy();
  }

  @Override
  public ObjectNode json() {
    return json.deepCopy();
  }

  /**
   * This input with {@code value} set as {@code request.<name>}: for a handler that learns from the
   * request body something the policy must judge (e.g. which fields a change touches) and asks
   * again on the gate's input.
   */
  public PolicyInput withRequest(String name, Object value) {
    ObjectNode copy = json.deepCopy();
    JsonNode request = copy.get("request");
    ObjectNode r = request instanceof ObjectNode on ? on : copy.putObject("request");
    r.set(name, JSON.valueToTree(value));
    return new PolicyInput(copy);
  }

  /**
   * This input with {@code plan} set to {@code value}: for a handler that learns from the request
   * body what the action will cost (the run's estimate) and asks again on the gate's input.
   */
  public PolicyInput withPlan(java.util.Map<String, ?> value) {
    ObjectNode copy = json.deepCopy();
    copy.set("plan", JSON.valueToTree(value));
    return new PolicyInput(copy);
  }

  /**
   * This input with {@code tenant.budget} replaced by {@code value}: for an admission that read the
   * tenant's spend and reservations again, under lock, and asks again on the gate's input.
   */
  public PolicyInput withTenantBudget(java.util.Map<String, ?> value) {
    ObjectNode copy = json.deepCopy();
    JsonNode tenant = copy.get("tenant");
    ObjectNode t = tenant instanceof ObjectNode on ? on : copy.putObject("tenant");
    t.set("budget", JSON.valueToTree(value));
    return new PolicyInput(copy);
  }

  /**
   * This input with {@code attributes} added to {@code resource.attributes} (replacing attributes
   * of the same name): for a handler that learns from the request what the resource is (a run's
   * workflow: its region and risk) and asks again on the gate's input.
   */
  public PolicyInput withResourceAttributes(java.util.Map<String, ?> attributes) {
    ObjectNode copy = json.deepCopy();
    JsonNode resource = copy.get("resource");
    ObjectNode r = resource instanceof ObjectNode on ? on : copy.putObject("resource");
    JsonNode existing = r.get("attributes");
    ObjectNode a = existing instanceof ObjectNode on ? on : r.putObject("attributes");
    attributes.forEach((k, v) -> a.set(k, JSON.valueToTree(v)));
    return new PolicyInput(copy);
  }

  public static Builder builder(String action, Actor actor) {
    return new Builder(action, actor);
  }

  /** Builds an input from typed parts; every setter replaces what was there. */
  public static final class Builder {
    private final ObjectNode o = JSON.createObjectNode();

    Builder(String action, Actor actor) {
      o.put("action", Objects.requireNonNull(action, "action"));
      ObjectNode a = o.putObject("actor");
      a.put("sub", actor.subject());
      ArrayNode roles = a.putArray("roles");
      actor.roles().forEach(roles::add);
      actor.tenant().ifPresent(t -> a.put("tenant", t.value()));
      if ("system".equals(actor.via())) {
        // Set by the server for its own controllers, never from a token.
        a.put("via", "system");
      }
      if (!actor.attributes().isEmpty()) {
        ObjectNode attrs = a.putObject("attributes");
        actor.attributes().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> attrs.put(e.getKey(), e.getValue()));
      }
      // Both identities reach every decision made while impersonating (and its log).
      actor
          .impersonation()
          .ifPresent(
              i ->
                  a.putObject("impersonation")
                      .put("id", i.id())
                      .put("by", i.by())
                      .put("byVia", i.byVia())
                      .put("active", i.active())
                      .put("state", i.state()));
    }

    /** The tenant the action concerns, with its profile (empty: the server default). */
    public Builder tenant(String id, String profile) {
      ObjectNode t = obj("tenant");
      t.put("id", id);
      if (profile != null && !profile.isEmpty()) {
        t.put("profile", profile);
      }
      return this;
    }

    /**
     * The governing tenant's state: {@code active}, {@code suspended} or {@code not_provisioned};
     * the isolation pack refuses tenant actors of a tenant that is not active.
     */
    public Builder tenantStatus(String status) {
      obj("tenant").put("status", status);
      return this;
    }

    /**
     * The platform subject that provisioned the governing tenant as a demo tenant ({@code
     * demo.create}); the isolation pack lets it act there as the tenant's profile allows.
     */
    public Builder demoOperator(String subject) {
      obj("tenant").putObject("demo").put("operator", subject);
      return this;
    }

    public Builder quota(Map<String, ?> quota) {
      obj("tenant").set("quota", JSON.valueToTree(quota));
      return this;
    }

    public Builder usage(Map<String, ?> usage) {
      obj("tenant").set("usage", JSON.valueToTree(usage));
      return this;
    }

    public Builder budget(Map<String, ?> budget) {
      obj("tenant").set("budget", JSON.valueToTree(budget));
      return this;
    }

    public Builder regions(java.util.List<String> regions) {
      obj("tenant").set("regions", JSON.valueToTree(regions));
      return this;
    }

    public Builder resource(String type, String id, String tenant, Map<String, ?> attributes) {
      ObjectNode r = o.putObject("resource");
      r.put("type", type);
      if (id != null) {
        r.put("id", id);
      }
      if (tenant != null) {
        r.put("tenant", tenant);
      }
      if (attributes != null && !attributes.isEmpty()) {
        r.set("attributes", JSON.valueToTree(attributes));
      }
      return this;
    }

    public Builder request(Map<String, ?> request) {
      o.set("request", JSON.valueToTree(request));
      return this;
    }

    public Builder plan(Map<String, ?> plan) {
      o.set("plan", JSON.valueToTree(plan));
      return this;
    }

    /**
     * The release-governance controls that bear on the request ({@code killSwitches}, {@code
     * ramps}, {@code freeze}, {@code breakGlass}), as the governance module reports them.
     */
    public Builder governance(JsonNode facts) {
      o.set("governance", facts.deepCopy());
      return this;
    }

    public Builder approval(String by, String role) {
      JsonNode a = o.get("approvals");
      ArrayNode list = a instanceof ArrayNode arr ? arr : o.putArray("approvals");
      list.addObject().put("by", by).put("role", role);
      return this;
    }

    public PolicyInput build() {
      return new PolicyInput(o);
    }

    private ObjectNode obj(String field) {
      JsonNode n = o.get(field);
      return n instanceof ObjectNode on ? on : o.putObject(field);
    }
  }
}
