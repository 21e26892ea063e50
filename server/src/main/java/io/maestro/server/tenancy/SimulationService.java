package io.maestro.server.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.policy.DecisionPoint;
import io.maestro.server.auth.DecisionHistory;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.tenancy.NewTenant;
import io.maestro.tenancy.TenancyErrors;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantDirectory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What-if questions to policy, with no side effects: {@code POST /api/policy/simulate} decides
 * hand-written scenarios ("can a workflow_author start a high-risk workflow in SaaS prod?") under a
 * chosen profile and edition; {@code POST /api/policy/replay} re-decides the tenant's recent
 * decisions under another profile and lists those that would change. Simulated inputs are marked
 * {@code "simulation": true} and kept out of the replayable decision window.
 */
public final class SimulationService implements ApiService {
  static final int MAX_SCENARIOS = 100;
  static final int MAX_REPLAY = 1000;

  private final DecisionPoint pdp;
  private final TenantDirectory directory;
  private final DecisionHistory history;
  private final Predicate<String> profileExists;

  public SimulationService(
      DecisionPoint pdp,
      TenantDirectory directory,
      DecisionHistory history,
      Predicate<String> profileExists) {
    this.pdp = pdp;
    this.directory = directory;
    this.history = history;
    this.profileExists = profileExists;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post("/api/policy/simulate", "policy.simulate", this::simulate),
        Route.post("/api/policy/replay", "policy.simulate", this::replay));
  }

  private void simulate(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    JsonNode scenarios = body.path("scenarios");
    if (!scenarios.isArray() || scenarios.isEmpty() || scenarios.size() > MAX_SCENARIOS) {
      throw TenancyService.invalid("scenarios must be a list of 1-" + MAX_SCENARIOS + " scenarios");
    }
    Optional<String> defaultProfile = TenancyService.text(body, "profile");
    Optional<String> defaultEdition = TenancyService.text(body, "edition");
    String callerProfile =
        g.tenant()
            .flatMap(directory::tenant)
            .map(Tenant::profile)
            .orElse(pdp.settings().defaultProfile());
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode results = out.putArray("results");
    int i = 0;
    for (JsonNode s : scenarios) {
      if (!s.isObject() || !s.path("action").isTextual() || !s.path("actor").isObject()) {
        throw TenancyService.invalid("scenario " + i + " needs an action and an actor");
      }
      String profile =
          TenancyService.text(s, "profile").or(() -> defaultProfile).orElse(callerProfile);
      requireProfile(profile);
      Optional<String> edition = TenancyService.text(s, "edition").or(() -> defaultEdition);
      ObjectNode input = JsonNodeFactory.instance.objectNode();
      input.put("simulation", true);
      input.set("action", s.get("action"));
      input.set("actor", s.get("actor"));
      ObjectNode tenant =
          s.path("tenant").isObject()
              ? ((ObjectNode) s.get("tenant")).deepCopy()
              : input.objectNode();
      if (!tenant.has("id")) {
        String t =
            s.path("resource").path("tenant").asText(s.path("actor").path("tenant").asText(""));
        if (!t.isEmpty()) {
          tenant.put("id", t);
        }
      }
      tenant.put("profile", profile);
      input.set("tenant", tenant);
      for (String part : List.of("resource", "request", "plan", "approvals")) {
        if (s.has(part)) {
          input.set(part, s.get(part));
        }
      }
      edition.ifPresent(
          e -> {
            if (!NewTenant.EDITIONS.contains(e)) {
              throw TenancyService.invalid(
                  "edition must be one of " + String.join(", ", NewTenant.EDITIONS));
            }
            input
                .putObject("platform")
                .put("profile", "conductor-governance-" + e)
                .put("edition", e);
          });
      Decision d = pdp.decide(input);
      ObjectNode r = results.addObject();
      r.put("scenario", s.path("name").asText("#" + i));
      r.put("profile", profile);
      edition.ifPresent(e -> r.put("edition", e));
      r.set("decision", d.resultJson());
      r.put("decision_id", d.id());
      r.put("bundle_revision", d.bundleRevision());
      i++;
    }
    HttpJson.ok(res, out);
  }

  private void replay(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    JsonNode body = HttpJson.read(req);
    String profile =
        TenancyService.text(body, "profile")
            .orElseThrow(() -> TenancyService.invalid("profile is required"));
    requireProfile(profile);
    long limit = HttpJson.optionalInteger(body, "limit").orElse(100L);
    if (limit < 1 || limit > MAX_REPLAY) {
      throw TenancyService.invalid("limit must be between 1 and " + MAX_REPLAY);
    }
    List<DecisionHistory.Past> entries = history.last(tenant.value(), (int) limit);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("tenant", tenant.value());
    out.put("profile", profile);
    ArrayNode changed = JsonNodeFactory.instance.arrayNode();
    // A decision whose input the mask rule kept out of the log cannot be re-decided: count it
    // rather than guess an input.
    ArrayNode skipped = JsonNodeFactory.instance.arrayNode();
    int evaluated = 0;
    for (DecisionHistory.Past before : entries) {
      if (!(before.input() instanceof ObjectNode logged)) {
        skipped.add(before.id());
        continue;
      }
      ObjectNode input = logged.deepCopy();
      input.put("simulation", true);
      JsonNode t = input.get("tenant");
      (t instanceof ObjectNode o ? o : input.putObject("tenant")).put("profile", profile);
      Decision after = pdp.decide(input);
      evaluated++;
      if (before.allow() != after.allow() || !Objects.equals(before.reasonCodes(), codes(after))) {
        ObjectNode c = changed.addObject();
        c.put("decision_id", before.id());
        c.put("action", input.path("action").asText());
        c.put("time", before.time().toString());
        c.set("before", before.result());
        c.set("after", after.resultJson());
      }
    }
    out.put("evaluated", evaluated);
    out.set("changed", changed);
    if (!skipped.isEmpty()) {
      out.set("skipped", skipped);
    }
    HttpJson.ok(res, out);
  }

  private static List<String> codes(Decision d) {
    return d.reasons().stream().map(Decision.Reason::code).sorted().toList();
  }

  private void requireProfile(String profile) {
    if (!profileExists.test(profile)) {
      throw MaestroException.of(
          TenancyErrors.UNKNOWN_PROFILE, "no policy profile named " + profile);
    }
  }
}
