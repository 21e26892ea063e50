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
 * Tenants: the list and create form, and one tenant with its profile, quotas and the receipts of
 * its configuration changes; "rollback config" undoes the last change with a change of its own.
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
  }

  /** What the tenant pages render. */
  public record TenantView(JsonNode tenant, List<JsonNode> changes, List<String> profiles) {
    public List<String> quotaNames() {
      return QUOTAS;
    }
  }

  private void list(Page p, Chrome.Flash flash) {
    List<JsonNode> items = new ArrayList<>();
    p.api().get("/api/tenants?limit=200").path("items").forEach(items::add);
    p.render("tenants.jte", p.chrome("Tenants", flash), "tenants", items);
  }

  private void detail(Page p, Chrome.Flash flash) {
    String id = p.param("id");
    JsonNode tenant = p.api().get("/api/tenants/" + ApiClient.seg(id));
    List<JsonNode> changes =
        ConfigHistory.changes(p.api(), id, p.me().platform(), "config.changed");
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
        new TenantView(tenant, changes, profiles));
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
        "config.changed",
        f -> {
          String id = p.param("id");
          List<JsonNode> changes =
              ConfigHistory.changes(p.api(), id, p.me().platform(), "config.changed");
          if (changes.isEmpty()) {
            return "There is no configuration change to roll back.";
          }
          var body = ConfigHistory.revert(changes.getFirst());
          if (body.isEmpty()) {
            return "The last change touched nothing a rollback can set.";
          }
          p.api().patch("/api/tenants/" + ApiClient.seg(id), body.get());
          return "Rolled back the change of receipt "
              + changes.getFirst().path("id").asText()
              + ".";
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
          ConfigHistory.changes(p.api(), p.param("id"), p.me().platform(), receiptType);
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
