package io.maestro.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.TenantId;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.store.TenantScope;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The governed path end to end: tokens, the policy gate, tenancy endpoints and their receipts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernedApiTest {
  @TempDir static Path dir;
  MaestroServer server;
  Api api;
  String root;
  String acmeAdmin;
  String globexAdmin;

  @BeforeAll
  void start() {
    server = TestServers.start(dir);
    api = new Api(server.port());
    root = api.token(null, "root@platform", "conductor_admin");
    acmeAdmin = api.token("acme", "admin@acme", "tenant_admin");
    globexAdmin = api.token("globex", "admin@globex", "tenant_admin");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  List<Receipt> receipts(LogId log) {
    return server
        .database()
        .inTransaction(
            TenantScope.platform(),
            tx -> new ReceiptLog("t").list(tx, log, ReceiptLog.Query.all(500)).receipts());
  }

  /**
   * Regression: a token bound to tenant globex carrying conductor_admin read acme's tenant record
   * and receipts. A tenant-bound token is limited to its tenant; platform access needs a platform
   * token.
   */
  @Test
  void tenantBoundTokenWithPlatformRole_staysInItsTenant() {
    api.token("acme", "someone@acme", "read_only");
    String bound = api.token("globex", "root@globex", "conductor_admin");
    for (String path : List.of("/api/tenants/acme", "/api/receipts?tenant=acme")) {
      Api.Reply r = api.call("GET", path, bound, null);
      assertThat(r.status()).as(path + " " + r.body()).isEqualTo(403);
      assertThat(r.reasonCodes()).contains("cross_tenant_access");
      assertThat(r.body().toString()).doesNotContain("someone@acme");
    }
    Api.Reply header =
        api.call("GET", "/api/receipts", bound, null, Map.of("X-Maestro-Tenant", "acme"));
    assertThat(header.status()).as(header.body().toString()).isEqualTo(403);
    Api.Reply create =
        api.call("POST", "/api/tenants", bound, Map.of("id", "initech", "name", "I"));
    assertThat(create.status()).as(create.body().toString()).isEqualTo(403);
    assertThat(create.reasonCodes()).contains("platform_token_required");
    assertThat(api.call("GET", "/api/tenants/globex", bound, null).status()).isEqualTo(200);
    assertThat(api.call("GET", "/api/tenants/acme", root, null).status()).isEqualTo(200);
  }

  @Test
  void missingOrBadToken_is401() {
    Api.Reply none = api.call("GET", "/api/whoami", null, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.code()).isEqualTo("invalid_token");
    assertThat(none.raw().headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    Api.Reply bad = api.call("GET", "/api/whoami", "not.a.token", null);
    assertThat(bad.status()).isEqualTo(401);
    assertThat(api.call("GET", "/healthz", null, null).status()).isEqualTo(200);
  }

  @Test
  void devLogin_provisionsTheTenant_andWhoamiShowsQuotas() {
    JsonNode me = api.call("GET", "/api/whoami", acmeAdmin, null).body();
    assertThat(me.path("subject").asText()).isEqualTo("admin@acme");
    assertThat(me.path("tenant").asText()).isEqualTo("acme");
    assertThat(me.path("roles").toString()).contains("tenant_admin");
    assertThat(me.path("profile").asText()).isEqualTo("internal-default");
    assertThat(me.path("quotas").path("maxConcurrent").asInt()).isEqualTo(25);
    assertThat(me.path("quotas").path("inUse").asInt()).isZero();
    assertThat(me.path("quotas").path("maxStorageBytes").asLong()).isEqualTo(1L << 30);
    assertThat(me.path("quotas").path("storageBytes").asLong()).isZero();
    assertThat(me.path("budget").path("dailyMaxUSD").decimalValue()).isEqualByComparingTo("100");
    assertThat(receipts(LogId.tenant(TenantId.of("acme"))).get(0).type())
        .isEqualTo(ReceiptTypes.TENANT_PROVISIONED);
  }

  @Test
  void crossTenant_isDeniedWithReasonsDecisionIdAndAReceiptInTheActorsLog() {
    int before = receipts(LogId.tenant(TenantId.of("globex"))).size();
    Api.Reply r = api.call("GET", "/api/tenants/acme", globexAdmin, null);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("policy_denied");
    assertThat(r.reasonCodes()).contains("cross_tenant_access");
    assertThat(r.body().path("decision_id").asText()).startsWith("dec_");
    assertThat(r.raw().body()).doesNotContain("tenants/acme/");

    Api.Reply missing = api.call("GET", "/api/tenants/nosuch", globexAdmin, null);
    assertThat(missing.status()).as("a tenant that does not exist looks the same").isEqualTo(403);
    assertThat(missing.reasonCodes()).isEqualTo(r.reasonCodes().stream().toList());

    List<Receipt> log = receipts(LogId.tenant(TenantId.of("globex")));
    assertThat(log).hasSize(before + 2);
    Receipt denial = log.get(before);
    assertThat(denial.type()).isEqualTo(ReceiptTypes.POLICY_DENIED);
    assertThat(denial.decision().orElseThrow().id())
        .isEqualTo(r.body().path("decision_id").asText());
    assertThat(denial.decision().orElseThrow().reasonCodes()).contains("cross_tenant_access");
  }

  @Test
  void tokenWithoutTenant_isTenantMissing_withAReceiptInThePlatformLog() {
    String nobody = api.token(null, "nobody", "operator");
    int before = receipts(LogId.platform()).size();
    Api.Reply r = api.call("GET", "/api/whoami", nobody, null);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("tenant_missing");
    assertThat(r.reasonCodes()).contains("tenant_missing");
    List<Receipt> log = receipts(LogId.platform());
    assertThat(log).hasSize(before + 1);
    assertThat(log.get(before).type()).isEqualTo(ReceiptTypes.POLICY_DENIED);
    assertThat(log.get(before).actor().sub()).isEqualTo("nobody");
  }

  @Test
  void platformAdmin_provisionsAndLists_tenantAdminSeesOnlyItsOwn() {
    Api.Reply created =
        api.call(
            "POST",
            "/api/tenants",
            root,
            Map.of("id", "initech", "regions", List.of("US", "EU"), "profile", "regulated"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().path("profile").asText()).isEqualTo("regulated");
    assertThat(api.call("POST", "/api/tenants", root, Map.of("id", "initech")).code())
        .isEqualTo("tenant_exists");
    Api.Reply byTenantAdmin = api.call("POST", "/api/tenants", acmeAdmin, Map.of("id", "evil"));
    assertThat(byTenantAdmin.status()).isEqualTo(403);
    assertThat(byTenantAdmin.reasonCodes()).contains("role_not_permitted");

    JsonNode all = api.call("GET", "/api/tenants", root, null).body().path("items");
    assertThat(all.findValuesAsText("id")).contains("acme", "globex", "initech");
    JsonNode own = api.call("GET", "/api/tenants", acmeAdmin, null).body().path("items");
    assertThat(own.findValuesAsText("id")).containsExactly("acme");
  }

  @Test
  void members_grantRolesToTokensOfThatTenant() {
    String bob = api.token("acme", "bob@acme");
    assertThat(api.call("GET", "/api/whoami", bob, null).status())
        .as("no role, nothing permitted")
        .isEqualTo(403);
    Api.Reply put =
        api.call(
            "PUT", "/api/tenants/acme/members/bob@acme", acmeAdmin, Map.of("role", "operator"));
    assertThat(put.status()).isEqualTo(200);
    JsonNode me = api.call("GET", "/api/whoami", bob, null).body();
    assertThat(me.path("roles").toString()).contains("operator");
    assertThat(
            api.call("GET", "/api/tenants/acme/members", acmeAdmin, null)
                .body()
                .path("items")
                .findValuesAsText("subject"))
        .contains("bob@acme");
    assertThat(api.call("DELETE", "/api/tenants/acme/members/bob@acme", acmeAdmin, null).status())
        .isEqualTo(204);
    assertThat(api.call("GET", "/api/whoami", bob, null).status()).isEqualTo(403);
  }

  @Test
  void quotasAndSuspension_areForPlatformAdmins_andSuspensionStopsTheTenant() {
    String hooli = api.token("hooli", "admin@hooli", "tenant_admin");
    Api.Reply self =
        api.call(
            "PATCH",
            "/api/tenants/hooli",
            hooli,
            Map.of("quotas", Map.of("max_concurrent_runs", 999)));
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.reasonCodes()).containsExactly("platform_only");

    Api.Reply suspend =
        api.call(
            "PATCH",
            "/api/tenants/hooli",
            root,
            Map.of("status", "suspended"),
            Map.of("If-Match", "\"1\""));
    assertThat(suspend.status()).isEqualTo(200);
    assertThat(suspend.body().path("version").asInt()).isEqualTo(2);
    Api.Reply refused = api.call("GET", "/api/whoami", hooli, null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("tenant_suspended");
    Api.Reply stale =
        api.call(
            "PATCH",
            "/api/tenants/hooli",
            root,
            Map.of("status", "active"),
            Map.of("If-Match", "\"1\""));
    assertThat(stale.code()).isEqualTo("tenant_conflict");
    assertThat(api.call("PATCH", "/api/tenants/hooli", root, Map.of("status", "active")).status())
        .isEqualTo(200);
    assertThat(api.call("GET", "/api/whoami", hooli, null).status()).isEqualTo(200);
    List<Receipt> log = receipts(LogId.tenant(TenantId.of("hooli")));
    assertThat(log.get(1).type())
        .as("the tenant admin's attempt on its quotas is receipted")
        .isEqualTo(ReceiptTypes.POLICY_DENIED);
    Receipt change =
        log.stream()
            .filter(x -> x.type().equals(ReceiptTypes.CONFIG_CHANGED))
            .findFirst()
            .orElseThrow();
    assertThat(change.payload().orElseThrow()).contains("\"/status\"").contains("suspended");
  }

  @Test
  void profileAssignment_appliesToTheNextDecision_andIsReceipted() {
    api.token("umbrella", "admin@umbrella", "tenant_admin");
    Api.Reply r =
        api.call("PUT", "/api/tenants/umbrella/profile", root, Map.of("profile", "regulated"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("profile").asText()).isEqualTo("regulated");
    assertThat(r.body().path("bundle_revision").asText()).isNotEmpty();
    assertThat(
            api.call("PUT", "/api/tenants/umbrella/profile", root, Map.of("profile", "nope"))
                .code())
        .isEqualTo("unknown_profile");
    String ua = api.token("umbrella", "admin@umbrella", "tenant_admin");
    assertThat(api.call("GET", "/api/whoami", ua, null).body().path("profile").asText())
        .isEqualTo("regulated");
    Receipt assigned = receipts(LogId.tenant(TenantId.of("umbrella"))).get(1);
    assertThat(assigned.type()).isEqualTo(ReceiptTypes.PROFILE_ASSIGNED);
    assertThat(assigned.decision().orElseThrow().id())
        .isEqualTo(r.body().path("decision_id").asText());
  }

  @Test
  void explain_isGivenToRolesThatMayReadPolicy() {
    Api.Reply r = api.call("GET", "/api/tenants/acme?explain=true", globexAdmin, null);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body().path("explanation").path("input").path("action").asText())
        .isEqualTo("tenant.read");
    String operator = api.token("globex", "ops@globex", "operator");
    Api.Reply hidden = api.call("GET", "/api/tenants/acme?explain=true", operator, null);
    assertThat(hidden.body().has("explanation")).isFalse();
  }

  @Test
  void simulate_answersTheSeedQuestionForEveryProfileAndEdition_withoutSideEffects() {
    int receiptsBefore = receipts(LogId.tenant(TenantId.of("acme"))).size();
    List<Map<String, Object>> scenarios = new java.util.ArrayList<>();
    for (String profile : List.of("internal-default", "regulated", "partner-demo", "hosted-saas")) {
      for (String edition : List.of("internal", "white-label", "saas")) {
        scenarios.add(
            Map.of(
                "name",
                "author starts high-risk prod workflow / " + profile + " / " + edition,
                "actor",
                Map.of("sub", "ann@acme", "roles", List.of("workflow_author"), "tenant", "acme"),
                "action",
                "workflow.run",
                "resource",
                Map.of(
                    "type", "workflow",
                    "id", "deploy",
                    "tenant", "acme",
                    "attributes", Map.of("environment", "prod", "risk_profile", "high")),
                "profile",
                profile,
                "edition",
                edition));
      }
    }
    scenarios.add(
        Map.of(
            "name", "operator starts it without approval",
            "actor", Map.of("sub", "olga@acme", "roles", List.of("operator"), "tenant", "acme"),
            "action", "workflow.run",
            "resource",
                Map.of(
                    "type", "workflow",
                    "tenant", "acme",
                    "attributes", Map.of("environment", "prod", "risk_profile", "high")),
            "profile", "internal-default"));
    Api.Reply r =
        api.call("POST", "/api/policy/simulate", acmeAdmin, Map.of("scenarios", scenarios));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    JsonNode results = r.body().path("results");
    assertThat(results).hasSize(13);
    for (int i = 0; i < 12; i++) {
      JsonNode d = results.get(i).path("decision");
      assertThat(d.path("allow").asBoolean()).as(results.get(i).toString()).isFalse();
      assertThat(d.path("reasons").findValuesAsText("code")).contains("role_not_permitted");
    }
    JsonNode operator = results.get(12).path("decision");
    assertThat(operator.path("allow").asBoolean()).isFalse();
    assertThat(operator.path("reasons").findValuesAsText("code"))
        .containsExactly("approval_required");
    assertThat(receipts(LogId.tenant(TenantId.of("acme")))).hasSize(receiptsBefore);

    Api.Reply unknown =
        api.call(
            "POST",
            "/api/policy/simulate",
            acmeAdmin,
            Map.of(
                "scenarios",
                List.of(Map.of("action", "workflow.run", "actor", Map.of(), "profile", "nope"))));
    assertThat(unknown.code()).isEqualTo("unknown_profile");
  }

  @Test
  void replay_reDecidesRecentDecisionsUnderAnotherProfile() {
    String reader = api.token("acme", "rae@acme", "read_only");
    api.call("GET", "/api/whoami", reader, null);
    Api.Reply r =
        api.call(
            "POST",
            "/api/policy/replay",
            acmeAdmin,
            Map.of("profile", "partner-demo", "limit", 50));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    assertThat(r.body().path("evaluated").asInt()).isPositive();
    assertThat(r.body().path("changed").isArray()).isTrue();
    assertThat(api.call("POST", "/api/policy/replay", acmeAdmin, Map.of("profile", "nope")).code())
        .isEqualTo("unknown_profile");
  }
}
