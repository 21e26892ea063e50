package io.maestro.console.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.web.ActionReceipts;
import io.maestro.console.web.Chrome;
import io.maestro.console.web.Form;
import io.maestro.console.web.Grants;
import io.maestro.console.web.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Release governance of the signed-in user's tenant: kill switches (pull, release), ramps (set,
 * with their history), freeze windows (add, remove) and break-glass grants (open, approve, close),
 * all through the governance API ({@code /api/kill-switches}, {@code /api/ramps}, {@code
 * /api/freezes}, {@code /api/break-glass}). Every change is shown with the receipt it produced.
 */
public final class GovernancePages {
  private static final List<String> WRITES =
      List.of(
          "workflow.kill", "ramp.write", "freeze.write", "breakglass.open", "breakglass.approve");

  private final Clock clock;

  public GovernancePages(Clock clock) {
    this.clock = clock;
  }

  public void routing(HttpRouting.Builder r) {
    r.get("/console/governance", Page.signedIn("governance", p -> show(p, null)));
    r.post("/console/governance/kill-switches", Page.signedIn("governance", this::pull));
    r.post(
        "/console/governance/kill-switches/{id}/release",
        Page.signedIn("governance", this::release));
    r.post("/console/governance/ramps", Page.signedIn("governance", this::ramp));
    r.post("/console/governance/freezes", Page.signedIn("governance", this::addFreeze));
    r.post(
        "/console/governance/freezes/{id}/remove", Page.signedIn("governance", this::removeFreeze));
    r.post("/console/governance/break-glass", Page.signedIn("governance", this::openGrant));
    r.post(
        "/console/governance/break-glass/{id}/approve",
        Page.signedIn("governance", p -> grantStep(p, "approve", "break_glass.approved")));
    r.post(
        "/console/governance/break-glass/{id}/close",
        Page.signedIn("governance", p -> grantStep(p, "close", "break_glass.closed")));
  }

  void show(Page p, Chrome.Flash flash) {
    if (!p.me().hasTenant()) {
      p.render(
          io.helidon.http.Status.NOT_FOUND_404,
          "error.jte",
          Map.of(
              "title", "Not found",
              "status", 404,
              "message", "Governance is shown to a tenant's users; sign in to a tenant.",
              "code", "not_found"));
      return;
    }
    ApiClient api = p.api();
    List<JsonNode> switches = items(api, "/api/kill-switches");
    Map<String, String> receipts = new HashMap<>();
    if (switches != null && !switches.isEmpty()) {
      Instant oldest =
          switches.stream()
              .map(k -> Instant.parse(k.path("pulled_at").asText()))
              .min(Instant::compareTo)
              .orElseThrow();
      for (JsonNode r : ActionReceipts.ofType(api, "kill_switch.pulled", oldest.minusSeconds(1))) {
        receipts.put(r.path("subject").path("id").asText(), r.path("id").asText());
      }
    }
    List<String> workflows = new ArrayList<>();
    try {
      api.get("/api/workflows").path("items").forEach(w -> workflows.add(w.path("name").asText()));
    } catch (ApiException e) {
      // The forms then take a typed name.
    }
    p.render(
        "governance.jte",
        p.chrome("Governance", flash),
        "view",
        new GovernanceView(
            switches,
            Map.copyOf(receipts),
            items(api, "/api/ramps"),
            items(api, "/api/ramps/history?limit=20"),
            items(api, "/api/freezes"),
            items(api, "/api/break-glass"),
            List.copyOf(workflows),
            allowed(p),
            p.me().subject()));
  }

  /** A list the role may read, or {@code null} when the API refuses it. */
  private static List<JsonNode> items(ApiClient api, String path) {
    try {
      List<JsonNode> out = new ArrayList<>();
      api.get(path).path("items").forEach(out::add);
      return List.copyOf(out);
    } catch (ApiException e) {
      if (e.status() == 403) {
        return null;
      }
      throw e;
    }
  }

  /**
   * The write actions to draw. Kill switches also need a role the tenant's profile names in {@code
   * kill_switch_roles}; when the role may not read the profiles, the role's grant decides the
   * drawing and the API still decides the pull.
   */
  private static Set<String> allowed(Page p) {
    Set<String> out = new LinkedHashSet<>();
    for (String a : WRITES) {
      if (Grants.may(p.me(), a)) {
        out.add(a);
      }
    }
    // Reading the profiles needs policy.read; asking without it would only log a refusal.
    if (out.contains("workflow.kill") && Grants.may(p.me(), "policy.read")) {
      try {
        for (JsonNode prof : p.api().get("/api/policy-profiles").path("items")) {
          if (prof.path("id").asText().equals(p.me().profile())) {
            JsonNode holders = prof.path("settings").path("kill_switch_roles");
            boolean holds = false;
            for (JsonNode h : holders) {
              holds |= p.me().roles().contains(h.asText());
            }
            if (holders.isArray() && !holds) {
              out.remove("workflow.kill");
            }
          }
        }
      } catch (ApiException e) {
        // not readable: see above
      }
    }
    return Set.copyOf(out);
  }

  /** Runs {@code action} with the submitted form and shows the page with its outcome. */
  private void act(Page p, Action action) {
    Optional<Form> f = p.form();
    if (f.isEmpty()) {
      return;
    }
    Instant before = clock.instant().minusSeconds(2);
    Chrome.Flash flash;
    try {
      flash = action.run(f.get(), before);
    } catch (ApiException e) {
      flash = Chrome.Flash.refused(e);
    }
    show(p, flash);
  }

  @FunctionalInterface
  private interface Action {
    Chrome.Flash run(Form f, Instant before);
  }

  private static String receipt(Page p, String type, String kind, String id, Instant since) {
    return ActionReceipts.newest(p.api(), type, kind, id, since)
        .map(r -> r.path("id").asText())
        .orElse(null);
  }

  private void pull(Page p) {
    act(
        p,
        (f, before) -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("scope", f.get("scope"));
          body.put("target", f.get("target"));
          if (!f.get("version").isEmpty()) {
            body.put("version", f.get("version"));
          }
          body.put("mode", f.get("mode"));
          body.put("reason", f.get("reason"));
          JsonNode k = p.api().post("/api/kill-switches", body);
          String id = k.path("id").asText();
          int applied = k.path("applied").size();
          return new Chrome.Flash(
              true,
              "Kill switch "
                  + id
                  + " pulled ("
                  + k.path("scope").asText()
                  + " "
                  + k.path("target").asText()
                  + ", "
                  + k.path("mode").asText()
                  + "); "
                  + applied
                  + " running run(s) affected.",
              receipt(p, "kill_switch.pulled", "kill_switch", id, before));
        });
  }

  private void release(Page p) {
    act(
        p,
        (f, before) -> {
          String id = p.param("id");
          p.api().delete("/api/kill-switches/" + ApiClient.seg(id));
          return new Chrome.Flash(
              true,
              "Kill switch " + id + " released.",
              receipt(p, "kill_switch.released", "kill_switch", id, before));
        });
  }

  private void ramp(Page p) {
    act(
        p,
        (f, before) -> {
          String workflow = f.get("workflow");
          Map<String, Object> body = new LinkedHashMap<>();
          try {
            body.put("percent", new java.math.BigDecimal(f.get("percent")));
          } catch (NumberFormatException e) {
            return new Chrome.Flash(false, "The percentage is a number from 0 to 100.", null);
          }
          if (!f.get("version").isEmpty()) {
            body.put("version", f.get("version"));
          }
          JsonNode r = p.api().put("/api/ramps/" + ApiClient.seg(workflow), body);
          String receipt = null;
          for (JsonNode c :
              p.api()
                  .get("/api/ramps/history?limit=5&workflow=" + ApiClient.seg(workflow))
                  .path("items")) {
            if (c.path("step").asLong() == r.path("step").asLong()) {
              receipt = c.path("receipt_id").asText();
              break;
            }
          }
          return new Chrome.Flash(
              true,
              "Ramp of "
                  + workflow
                  + " set to "
                  + r.path("percent").asText()
                  + " % (step "
                  + r.path("step").asText()
                  + ").",
              receipt);
        });
  }

  private void addFreeze(Page p) {
    act(
        p,
        (f, before) -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("kind", f.get("kind"));
          body.put("from", f.get("from"));
          body.put("to", f.get("to"));
          if (!f.get("zone").isEmpty()) {
            body.put("zone", f.get("zone"));
          }
          body.put("reason", f.get("reason"));
          JsonNode w = p.api().post("/api/freezes", body);
          String id = w.path("id").asText();
          return new Chrome.Flash(
              true,
              "Freeze window " + id + " added.",
              receipt(p, "freeze.added", "freeze", id, before));
        });
  }

  private void removeFreeze(Page p) {
    act(
        p,
        (f, before) -> {
          String id = p.param("id");
          p.api().delete("/api/freezes/" + ApiClient.seg(id));
          return new Chrome.Flash(
              true,
              "Freeze window " + id + " removed.",
              receipt(p, "freeze.removed", "freeze", id, before));
        });
  }

  private void openGrant(Page p) {
    act(
        p,
        (f, before) -> {
          List<String> actions = new ArrayList<>();
          for (String a : f.get("actions").split("[,\\s]+")) {
            if (!a.isBlank()) {
              actions.add(a.strip());
            }
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("reason", f.get("reason"));
          body.put("for", f.get("for"));
          body.put("actions", actions);
          JsonNode g = p.api().post("/api/break-glass", body);
          String id = g.path("id").asText();
          return new Chrome.Flash(
              true,
              "Break-glass grant "
                  + id
                  + " opened ("
                  + g.path("state").asText()
                  + ", until "
                  + g.path("expires_at").asText()
                  + ").",
              receipt(p, "break_glass.opened", "break_glass", id, before));
        });
  }

  private void grantStep(Page p, String step, String receiptType) {
    act(
        p,
        (f, before) -> {
          String id = p.param("id");
          JsonNode g = p.api().post("/api/break-glass/" + ApiClient.seg(id) + "/" + step, Map.of());
          return new Chrome.Flash(
              true,
              "Break-glass grant " + id + " is " + g.path("state").asText() + ".",
              receipt(p, receiptType, "break_glass", id, before));
        });
  }
}
