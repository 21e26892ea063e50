package io.maestro.console.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.web.Chrome;
import io.maestro.console.web.Form;
import io.maestro.console.web.Grants;
import io.maestro.console.web.Page;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Policy: the active bundle's packs ({@code GET /api/policy-packs}) with each pack's generated page
 * ({@code GET /api/policy-packs/{id}}), the profiles ({@code GET /api/policy-profiles}) with the
 * tenant's own marked, and a simulation form: one scenario decided under each chosen profile
 * ({@code POST /api/policy/simulate}, no side effects). Roles without {@code policy.simulate} see
 * no form, and the API refuses them anyway.
 */
public final class PolicyPages {
  /** The roles a simulated actor may hold (those of the sign-in form). */
  static final List<String> ROLES =
      List.of(
          "tenant_admin",
          "operator",
          "workflow_reviewer",
          "workflow_author",
          "read_only",
          "conductor_admin",
          "support");

  static final String PROFILE_FIELD = "profile.";

  /** The page's model. */
  public record Catalog(
      JsonNode bundle,
      List<JsonNode> packs,
      List<JsonNode> profiles,
      String assigned,
      boolean canSimulate,
      Scenario scenario,
      List<JsonNode> results) {
    public List<String> roles() {
      return ROLES;
    }

    /** The ids of the policy profiles (not the editions' governance profiles). */
    public List<String> policyProfiles() {
      List<String> out = new ArrayList<>();
      for (JsonNode p : profiles) {
        if ("PolicyProfile".equals(p.path("kind").asText())) {
          out.add(p.path("id").asText());
        }
      }
      return out;
    }

    public static String list(JsonNode array) {
      List<String> out = new ArrayList<>();
      array.forEach(v -> out.add(v.asText()));
      return String.join(", ", out);
    }
  }

  /** A simulated request as the form holds it. */
  public record Scenario(
      String action,
      String role,
      String resourceType,
      String resourceId,
      String riskProfile,
      List<String> profiles) {
    static Scenario empty() {
      return new Scenario("workflow.run", "operator", "workflow", "", "", List.of());
    }

    public boolean chosen(String profile) {
      return profiles.isEmpty() || profiles.contains(profile);
    }
  }

  /** One pack's page. */
  public record PackView(JsonNode pack, List<Markdown.Block> docs) {}

  public void routing(HttpRouting.Builder r) {
    r.get(
        "/console/policy", Page.signedIn("policy", p -> catalog(p, Scenario.empty(), null, null)));
    r.post("/console/policy/simulate", Page.signedIn("policy", this::simulate));
    r.get("/console/policy/packs/{id}", Page.signedIn("policy", this::pack));
  }

  private void catalog(Page p, Scenario scenario, List<JsonNode> results, Chrome.Flash flash) {
    JsonNode packs = p.api().get("/api/policy-packs");
    JsonNode profiles = p.api().get("/api/policy-profiles");
    List<JsonNode> packList = new ArrayList<>();
    packs.path("items").forEach(packList::add);
    List<JsonNode> profileList = new ArrayList<>();
    profiles.path("items").forEach(profileList::add);
    p.render(
        "policy.jte",
        p.chrome("Policy", flash),
        "catalog",
        new Catalog(
            packs.path("bundle"),
            List.copyOf(packList),
            List.copyOf(profileList),
            p.me().profile(),
            Grants.may(p.me(), "policy.simulate"),
            scenario,
            results == null ? List.of() : List.copyOf(results)));
  }

  private void pack(Page p) {
    JsonNode pack = p.api().get("/api/policy-packs/" + ApiClient.seg(p.param("id")));
    p.render(
        "policy_pack.jte",
        p.chrome("Policy pack " + pack.path("id").asText()),
        "view",
        new PackView(pack, Markdown.blocks(pack.path("docs_markdown").asText())));
  }

  private void simulate(Page p) {
    Optional<Form> form = p.form();
    if (form.isEmpty()) {
      return;
    }
    Form f = form.get();
    List<String> chosen = new ArrayList<>();
    // One checkbox per profile, named profile.<id> (a form field holds one value).
    f.fields().keySet().stream()
        .filter(k -> k.startsWith(PROFILE_FIELD) && k.length() > PROFILE_FIELD.length())
        .sorted()
        .forEach(k -> chosen.add(k.substring(PROFILE_FIELD.length())));
    Scenario s =
        new Scenario(
            f.get("action"),
            f.get("role"),
            f.get("resource_type"),
            f.get("resource_id"),
            f.get("risk_profile"),
            List.copyOf(chosen));
    if (s.action().isEmpty() || chosen.isEmpty()) {
      catalog(
          p,
          s,
          null,
          new Chrome.Flash(false, "Name an action and choose at least one profile.", null));
      return;
    }
    List<Map<String, Object>> scenarios = new ArrayList<>();
    for (String profile : chosen) {
      Map<String, Object> actor = new LinkedHashMap<>();
      actor.put("sub", "simulated@" + (p.me().hasTenant() ? p.me().tenant() : "platform"));
      actor.put("roles", List.of(s.role()));
      if (p.me().hasTenant()) {
        actor.put("tenant", p.me().tenant());
      }
      Map<String, Object> resource = new LinkedHashMap<>();
      resource.put("type", s.resourceType().isEmpty() ? "workflow" : s.resourceType());
      if (!s.resourceId().isEmpty()) {
        resource.put("id", s.resourceId());
      }
      if (p.me().hasTenant()) {
        resource.put("tenant", p.me().tenant());
      }
      if (!s.riskProfile().isEmpty()) {
        resource.put("attributes", Map.of("risk_profile", s.riskProfile()));
      }
      Map<String, Object> scenario = new LinkedHashMap<>();
      scenario.put("name", s.action() + " as " + s.role() + " under " + profile);
      scenario.put("action", s.action());
      scenario.put("actor", actor);
      scenario.put("resource", resource);
      scenario.put("profile", profile);
      scenarios.add(scenario);
    }
    try {
      List<JsonNode> results = new ArrayList<>();
      p.api()
          .post("/api/policy/simulate", Map.of("scenarios", scenarios))
          .path("results")
          .forEach(results::add);
      catalog(p, s, results, null);
    } catch (ApiException e) {
      catalog(p, s, null, Chrome.Flash.refused(e));
    }
  }
}
