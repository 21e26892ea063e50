package io.maestro.console.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.web.Chrome;
import io.maestro.console.web.Form;
import io.maestro.console.web.Page;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tenants: the list and create form, and one tenant with its profile, quotas, members and the
 * receipts of its configuration changes; "rollback config" undoes the last configuration or profile
 * change with a change of its own (and its own receipt).
 */
public final class TenantPages {
  static final List<String> QUOTAS =
      List.of("max_concurrent_runs", "max_steps_per_minute", "max_receipt_backlog");

  public void routing(HttpRouting.Builder r) {
    r.get("/console/tenants", Page.signedIn("tenants", p -> list(p, null)));
    r.post("/console/tenants", Page.signedIn("tenants", this::create));
    r.get("/console/tenants/{id}", Page.signedIn("tenants", p -> detail(p, null)));
    r.post("/console/tenants/{id}/quotas", Page.signedIn("tenants", this::quotas));
    r.post("/console/tenants/{id}/profile", Page.signedIn("tenants", this::profile));
    r.post("/console/tenants/{id}/rollback", Page.signedIn("tenants", this::rollback));
    r.post("/console/tenants/{id}/members", Page.signedIn("tenants", this::putMember));
    r.post("/console/tenants/{id}/members/remove", Page.signedIn("tenants", this::removeMember));
  }

  /** What the tenant pages render. */
  public record TenantView(
      JsonNode tenant, List<JsonNode> changes, List<String> profiles, List<JsonNode> members) {
    public List<String> quotaNames() {
      return QUOTAS;
    }

    public List<String> memberRoles() {
      return MEMBER_ROLES;
    }
  }

  /** The tenant roles a membership can carry (the API's enum). */
  static final List<String> MEMBER_ROLES =
      List.of("tenant_admin", "workflow_author", "workflow_reviewer", "operator", "read_only");

  private void list(Page p, Chrome.Flash flash) {
    List<JsonNode> items = new ArrayList<>();
    p.api().get("/api/tenants?limit=200").path("items").forEach(items::add);
    p.render(
        io.helidon.http.Status.OK_200,
        "tenants.jte",
        Map.of(
            "chrome",
            p.chrome("Tenants", flash),
            "tenants",
            items,
            // "Create demo tenant" for the roles the rbac pack grants demo.create (DemoPages).
            "demo",
            io.maestro.console.web.Grants.may(p.me(), "demo.create")));
  }

  private void detail(Page p, Chrome.Flash flash) {
    String id = p.param("id");
    JsonNode tenant = p.api().get("/api/tenants/" + ApiClient.seg(id));
    List<JsonNode> changes = ConfigHistory.changes(p.api(), id, p.me().platform());
    List<JsonNode> members = new ArrayList<>();
    if (p.me().may("member.read")) {
      p.api()
          .get("/api/tenants/" + ApiClient.seg(id) + "/members")
          .path("items")
          .forEach(members::add);
    }
    List<String> profiles = new ArrayList<>();
    if (p.me().may("profile.assign")) {
      p.api()
          .get("/api/policy-profiles")
          .path("items")
          .forEach(
              i -> {
                if ("PolicyProfile".equals(i.path("kind").asText())) {
                  profiles.add(i.path("id").asText());
                }
              });
    }
    p.render(
        "tenant.jte",
        p.chrome("Tenant " + id, flash),
        "view",
        new TenantView(tenant, changes, profiles, members));
  }

  private void create(Page p) {
    Optional<Form> f = p.form();
    if (f.isEmpty()) {
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", f.get().get("id"));
    if (!f.get().get("name").isEmpty()) {
      body.put("name", f.get().get("name"));
    }
    try {
      p.api().post("/api/tenants", body);
    } catch (ApiException e) {
      list(p, Chrome.Flash.refused(e));
      return;
    }
    io.maestro.console.web.Views.redirect(
        p.res(), "/console/tenants/" + ApiClient.seg(f.get().get("id")));
  }

  private void quotas(Page p) {
    change(
        p,
        "config.changed",
        f -> {
          Map<String, Object> quotas = new LinkedHashMap<>();
          for (String q : QUOTAS) {
            if (!f.get(q).isEmpty()) {
              quotas.put(q, Long.parseLong(f.get(q)));
            }
          }
          p.api().patch("/api/tenants/" + ApiClient.seg(p.param("id")), Map.of("quotas", quotas));
          return "Quotas changed.";
        });
  }

  private void profile(Page p) {
    change(
        p,
        "profile.assigned",
        f -> {
          p.api()
              .put(
                  "/api/tenants/" + ApiClient.seg(p.param("id")) + "/profile",
                  Map.of("profile", f.get("profile")));
          return "Profile " + f.get("profile") + " assigned.";
        });
  }

  private void rollback(Page p) {
    change(
        p,
        null,
        f -> {
          String id = p.param("id");
          List<JsonNode> changes = ConfigHistory.changes(p.api(), id, p.me().platform());
          if (changes.isEmpty()) {
            return "There is no configuration change to roll back.";
          }
          JsonNode last = changes.getFirst();
          Optional<String> profile = ConfigHistory.revertProfile(last);
          if (profile.isPresent()) {
            p.api()
                .put(
                    "/api/tenants/" + ApiClient.seg(id) + "/profile",
                    Map.of("profile", profile.get()));
          } else {
            var body = ConfigHistory.revert(last);
            if (body.isEmpty()) {
              return "The last change touched nothing a rollback can set.";
            }
            p.api().patch("/api/tenants/" + ApiClient.seg(id), body.get());
          }
          return "Rolled back the change of receipt " + last.path("id").asText() + ".";
        });
  }

  private void putMember(Page p) {
    change(
        p,
        "member.changed",
        f -> {
          String subject = f.get("subject");
          if (subject.isEmpty()) {
            return "Name the member (their subject, e.g. rita@acme).";
          }
          p.api()
              .put(
                  "/api/tenants/"
                      + ApiClient.seg(p.param("id"))
                      + "/members/"
                      + ApiClient.seg(subject),
                  Map.of("role", f.get("role")));
          return subject + " is " + f.get("role") + ".";
        });
  }

  private void removeMember(Page p) {
    change(
        p,
        "member.changed",
        f -> {
          String subject = f.get("subject");
          p.api()
              .delete(
                  "/api/tenants/"
                      + ApiClient.seg(p.param("id"))
                      + "/members/"
                      + ApiClient.seg(subject));
          return subject + " removed.";
        });
  }

  /** Runs a change and shows the tenant again with the receipt the change produced. */
  private void change(Page p, String receiptType, Function<Form, String> action) {
    Optional<Form> f = p.form();
    if (f.isEmpty()) {
      return;
    }
    Chrome.Flash flash;
    try {
      String done = action.apply(f.get());
      List<JsonNode> changes =
          receiptType == null
              ? ConfigHistory.changes(p.api(), p.param("id"), p.me().platform())
              : ConfigHistory.changes(p.api(), p.param("id"), p.me().platform(), receiptType);
      flash =
          new Chrome.Flash(
              true, done, changes.isEmpty() ? null : changes.getFirst().path("id").asText());
    } catch (NumberFormatException e) {
      flash = new Chrome.Flash(false, "Quotas are whole numbers.", null);
    } catch (ApiException e) {
      if (e.notFound()) {
        throw e;
      }
      flash = Chrome.Flash.refused(e);
    }
    detail(p, flash);
  }
}
