package io.maestro.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.policy.DecisionRecords;
import io.maestro.server.MaestroServer;
import io.maestro.server.MovableClock;
import io.maestro.server.auth.Api;
import io.maestro.store.TenantScope;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Support impersonation through the real server: a support engineer asks to act as a tenant member
 * with a reason and a time box; the tenant's profile decides whether that needs a tenant
 * administrator's approval (internal-default: no; regulated: yes, at most 30 minutes); while the
 * session is in force, requests with the engineer's own token and the session's header act as the
 * member — the member's role, never more — and their receipts and decisions carry both identities;
 * approvals and other sensitive actions are refused while impersonating; the session ends when
 * stopped or at its time box, each step a receipt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ImpersonationFlowContract {
  static final String T = "acme";
  static final String BANK = "bank";
  static final String PATH = "/api/support/impersonations";
  static final String HEADER = "X-Maestro-Impersonation";

  @TempDir static Path dir;
  final MovableClock clock = new MovableClock();
  MaestroServer server;
  Api api;
  String root;
  String sue;
  String ana;
  String bankAdmin;

  abstract MaestroServer startServer(Path dataDir, Clock clock);

  void cleanUp() {}

  @BeforeAll
  void start() throws Exception {
    server = startServer(dir, clock);
    api = new Api(server.port());
    root = api.token(null, "root@platform", "conductor_admin");
    sue = api.token(null, "sue@platform", "support");
    ana = api.token(T, "ana@acme", "tenant_admin");
    bankAdmin = api.token(BANK, "bea@bank", "tenant_admin");
    member(ana, T, "olav@acme", "operator");
    member(bankAdmin, BANK, "ben@bank", "operator");
    Api.Reply p =
        api.call("PUT", "/api/tenants/" + BANK + "/profile", root, Map.of("profile", "regulated"));
    assertThat(p.status()).as(p.body().toString()).isEqualTo(200);
    TidyRuns.publish(api, server.port(), ana);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    cleanUp();
  }

  private void member(String admin, String tenant, String subject, String role) {
    Api.Reply r =
        api.call(
            "PUT", "/api/tenants/" + tenant + "/members/" + subject, admin, Map.of("role", role));
    assertThat(r.status()).as(r.body().toString()).isBetween(200, 201);
  }

  private Api.Reply ask(String token, String tenant, Object body) {
    return api.call("POST", PATH + "?tenant=" + tenant, token, body);
  }

  private Api.Reply as(String token, String session, String method, String path, Object body) {
    return api.call(method, path, token, body, Map.of(HEADER, session));
  }

  private static Map<String, Object> asking(String subject, String reason, int minutes) {
    return Map.of("subject", subject, "reason", reason, "minutes", minutes);
  }

  @Test
  void withoutApproval_theEngineerActsAsTheMember_andEveryTraceNamesBoth() throws Exception {
    Api.Reply req = ask(sue, T, asking("olav@acme", "ticket 4711: runs fail", 10));
    assertThat(req.status()).as(req.body().toString()).isEqualTo(201);
    assertThat(req.body().path("state").asText()).isEqualTo("active");
    String id = req.body().path("id").asText();
    assertThat(id).startsWith("imp_");

    Api.Reply who = as(sue, id, "GET", "/api/whoami", null);
    assertThat(who.status()).isEqualTo(200);
    assertThat(who.body().path("subject").asText()).isEqualTo("olav@acme");
    assertThat(who.body().path("tenant").asText()).isEqualTo(T);
    // The member's role, never the engineer's platform role.
    assertThat(who.body().path("roles").toString()).isEqualTo("[\"operator\"]");
    assertThat(who.body().path("impersonation").path("by").asText()).isEqualTo("sue@platform");

    Api.Reply run = as(sue, id, "POST", "/api/runs", Map.of("workflow", "tidy"));
    assertThat(run.status()).as(run.body().toString()).isEqualTo(202);
    String runId = run.body().path("id").asText();
    JsonNode created = receipts(ana, "run=" + runId).get(0);
    assertThat(created.path("actor").path("sub").asText()).isEqualTo("olav@acme");
    assertThat(created.path("actor").path("via").asText())
        .isEqualTo("impersonation:" + id + ":dev:sue@platform");
    String decisionId = created.path("decision").path("id").asText();
    ObjectNode logged = awaitDecision(T, decisionId);
    assertThat(logged.path("input").path("actor").path("sub").asText()).isEqualTo("olav@acme");
    assertThat(logged.path("input").path("actor").path("impersonation").path("by").asText())
        .isEqualTo("sue@platform");

    // An operator may open a break-glass grant; not while someone else acts as them.
    Api.Reply glass = as(sue, id, "POST", "/api/break-glass", Map.of("reason", "x"));
    assertThat(glass.status()).isEqualTo(403);
    assertThat(glass.reasonCodes()).contains("impersonation_action_forbidden");
    assertThat(glass.body().path("decision_id").asText()).isNotEmpty();

    // Another engineer cannot use sue's session.
    String sam = api.token(null, "sam@platform", "support");
    Api.Reply theirs = as(sam, id, "GET", "/api/runs", null);
    assertThat(theirs.status()).isEqualTo(403);
    assertThat(theirs.reasonCodes()).containsExactly("impersonation_inactive");

    Api.Reply stopped = api.call("POST", PATH + "/" + id + "/stop?tenant=" + T, sue, Map.of());
    assertThat(stopped.status()).as(stopped.body().toString()).isEqualTo(200);
    assertThat(stopped.body().path("state").asText()).isEqualTo("stopped");
    Api.Reply after = as(sue, id, "GET", "/api/runs", null);
    assertThat(after.status()).isEqualTo(403);
    assertThat(after.reasonCodes()).containsExactly("impersonation_inactive");

    assertThat(types(receipts(ana, "limit=500"), id))
        .containsExactly(
            "impersonation.requested", "impersonation.started", "impersonation.stopped");
  }

  @Test
  void theRegulatedProfileDemandsApproval_byATenantAdministrator_notTheRequester() {
    Api.Reply tooLong = ask(sue, BANK, asking("ben@bank", "ticket 9", 45));
    assertThat(tooLong.status()).isEqualTo(403);
    assertThat(tooLong.reasonCodes()).containsExactly("impersonation_too_long");

    Api.Reply req = ask(sue, BANK, asking("ben@bank", "ticket 9", 20));
    assertThat(req.status()).as(req.body().toString()).isEqualTo(201);
    assertThat(req.body().path("state").asText()).isEqualTo("pending_approval");
    String id = req.body().path("id").asText();

    Api.Reply early = as(sue, id, "GET", "/api/runs", null);
    assertThat(early.status()).isEqualTo(403);
    assertThat(early.reasonCodes()).containsExactly("impersonation_inactive");
    assertThat(
            api.call("POST", PATH + "/" + id + "/approve?tenant=" + BANK, sue, Map.of()).status())
        .isEqualTo(403);

    // A platform administrator may ask too, but never approve their own request.
    Api.Reply own = ask(root, BANK, asking("ben@bank", "ticket 10", 5));
    assertThat(own.status()).isEqualTo(201);
    Api.Reply self =
        api.call(
            "POST",
            PATH + "/" + own.body().path("id").asText() + "/approve?tenant=" + BANK,
            root,
            Map.of());
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.reasonCodes()).containsExactly("impersonation_self_approval");

    Api.Reply ok = api.call("POST", PATH + "/" + id + "/approve", bankAdmin, Map.of());
    assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
    assertThat(ok.body().path("state").asText()).isEqualTo("active");
    assertThat(ok.body().path("approved_by").asText()).isEqualTo("bea@bank");
    assertThat(as(sue, id, "GET", "/api/whoami", null).body().path("subject").asText())
        .isEqualTo("ben@bank");
    assertThat(types(receipts(bankAdmin, "limit=500"), id))
        .containsExactly(
            "impersonation.requested", "impersonation.approved", "impersonation.started");
  }

  @Test
  void requestsThePolicyRefuses_andWhoMayAsk() {
    assertThat(ask(sue, T, asking("olav@acme", " ", 10)).reasonCodes())
        .containsExactly("impersonation_reason_missing");
    assertThat(ask(sue, T, asking("nobody@acme", "ticket", 10)).reasonCodes())
        .containsExactly("impersonation_not_a_member");
    Api.Reply tenantAdmin = ask(ana, T, asking("olav@acme", "ticket", 10));
    assertThat(tenantAdmin.status()).isEqualTo(403);
    assertThat(tenantAdmin.reasonCodes()).contains("role_not_permitted");
    Api.Reply noTime = ask(sue, T, Map.of("subject", "olav@acme", "reason", "ticket"));
    assertThat(noTime.status()).isEqualTo(422);
    assertThat(noTime.code()).isEqualTo("impersonation_invalid");
    // The other tenant's administrator sees none of acme's sessions.
    Api.Reply listed = api.call("GET", PATH, bankAdmin, null);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.body().path("items").toString()).doesNotContain("olav@acme");
  }

  @Test
  void aSessionEndsAtItsTimeBox_withAReceipt() throws Exception {
    Api.Reply req = ask(sue, T, asking("olav@acme", "ticket 5", 2));
    String id = req.body().path("id").asText();
    assertThat(as(sue, id, "GET", "/api/runs", null).status()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(3));
    Api.Reply after = as(sue, id, "GET", "/api/runs", null);
    assertThat(after.status()).isEqualTo(403);
    assertThat(after.reasonCodes()).containsExactly("impersonation_inactive");
    List<String> seen = List.of();
    for (int i = 0; i < 50 && !seen.contains("impersonation.stopped"); i++) {
      Thread.sleep(200);
      seen = types(receipts(ana, "limit=500"), id);
    }
    assertThat(seen)
        .containsExactly(
            "impersonation.requested", "impersonation.started", "impersonation.stopped");
    JsonNode shown = api.call("GET", PATH + "/" + id, ana, null).body();
    assertThat(shown.path("state").asText()).isEqualTo("expired");
  }

  private List<JsonNode> receipts(String token, String query) {
    Api.Reply r = api.call("GET", "/api/receipts?" + query, token, null);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.body().path("receipts").forEach(out::add);
    return out;
  }

  private static List<String> types(List<JsonNode> receipts, String session) {
    return receipts.stream()
        .filter(r -> r.path("subject").path("id").asText().equals(session))
        .map(r -> r.path("type").asText())
        .toList();
  }

  /** The decision log writes in batches: waits for the row. */
  private ObjectNode awaitDecision(String tenant, String id) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      Optional<ObjectNode> row =
          server
              .database()
              .inTransaction(
                  TenantScope.of(TenantId.of(tenant)), tx -> DecisionRecords.find(tx, tenant, id));
      if (row.isPresent()) {
        return row.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("decision " + id + " never reached the decision log");
  }
}
