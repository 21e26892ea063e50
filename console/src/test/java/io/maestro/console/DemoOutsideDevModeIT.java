package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.demo.DemoTenant;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo tenant on a server that is not in dev mode (no dev issuer; users come from a real OIDC
 * provider started by the test): an operator allowed {@code demo.create} provisions it through the
 * API and from the console, with a start refused over the tenant's quota instead of a viewer's;
 * anyone else is refused by the policy with a stable code, and the refusal is receipted. On the
 * white-label and SaaS editions, whose governance keeps platform roles out of customers' workflows,
 * the demo tenant's own profile lets the operator that provisioned it act there (ADR 0053), and no
 * one else.
 */
class DemoOutsideDevModeIT {
  @TempDir static Path dataDir;
  static OidcProvider idp;
  static ConsoleServer server;
  static String operator;

  @BeforeAll
  static void start() throws Exception {
    idp = new OidcProvider();
    var settings = new java.util.HashMap<>(idp.settings());
    settings.put("mode", "prod");
    server = ConsoleServer.start(dataDir, settings);
    operator = idp.accessToken("olga@platform", null, List.of("conductor_admin"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (idp != null) {
      idp.close();
    }
  }

  @Test
  void anOperatorWithTheGrantCreatesTheDemoThroughTheApi() throws Exception {
    assertThat(new DemoTenant(server.base).devPlatformToken())
        .as("no dev issuer on this server")
        .isEmpty();
    DemoTenant.Result r = new DemoTenant(server.base).create("demo-prod", Optional.of(operator));
    assertThat(r.denyReasons()).containsExactly("quota_concurrency_exceeded");
    assertThat(r.export().receipts()).isGreaterThan(5);
    JsonNode tenant = server.call("GET", "/api/tenants/demo-prod", operator, null, null);
    assertThat(tenant.path("profile").asText()).isEqualTo("partner-demo");
    assertThat(tenant.path("quotas").path("max_concurrent_runs").asInt())
        .as("the quota lowered for the refusal is restored")
        .isEqualTo(25);
    server.awaitStep(operator, r.pendingRun() + "?tenant=demo-prod", "approve", "WAITING");
    // A platform operator's refusal is a receipt of the platform log, found by its reason.
    var refusals = platformRefusals(server, "olga@platform", "quota_concurrency_exceeded");
    assertThat(refusals)
        .filteredOn(x -> x.subject().id().equals("demo-prod"))
        .singleElement()
        .satisfies(x -> assertThat(x.decision().orElseThrow().id()).isEqualTo(r.deniedDecision()));
  }

  @Test
  void anyoneElseIsRefusedByThePolicyWithAStableCode() throws Exception {
    String tenantAdmin = idp.accessToken("tia@acme", "acme", List.of("tenant_admin"));
    server.call(
        "POST", "/api/tenants", operator, "{\"id\":\"acme\"}", "application/json"); // their tenant
    assertThatThrownBy(
            () -> new DemoTenant(server.base).create("demo-sneaky", Optional.of(tenantAdmin)))
        .isInstanceOfSatisfying(
            DemoTenant.DemoFailed.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.code()).isEqualTo("policy_denied");
              assertThat(e.getMessage()).contains("role_not_permitted");
              assertThat(e.decisionId()).isNotEmpty();
            });
    assertThatThrownBy(() -> server.call("GET", "/api/tenants/demo-sneaky", operator, null, null))
        .as("nothing was provisioned")
        .hasMessageContaining("404");
    JsonNode refusals =
        server.call("GET", "/api/receipts?deny_reason=role_not_permitted", tenantAdmin, null, null);
    assertThat(refusals.path("receipts").findValuesAsText("action")).contains("demo.create");
  }

  @Test
  void theConsoleOffersTheDemoToTheOperatorAndMakesIt() {
    var signIn =
        server.page(
            "POST",
            "/console/signin",
            null,
            "mode=token&token=" + URLEncoder.encode(operator, StandardCharsets.UTF_8));
    assertThat(signIn.statusCode()).isEqualTo(303);
    String set = signIn.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = set.substring(0, set.indexOf(';'));
    var tenants = server.page("GET", "/console/tenants", cookie, null);
    assertThat(tenants.body()).contains("Create demo tenant");
    var made =
        server.page("POST", "/console/demo", cookie, "csrf=" + ConsoleHttpIT.csrf(tenants.body()));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    assertThat(made.body()).contains("quota_concurrency_exceeded").contains("verified");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"white-label", "saas"})
  void theDemoIsCompleteOnEditionsThatKeepPlatformRolesOutOfCustomersTenants(
      String edition, @TempDir Path dir) throws Exception {
    var settings = new java.util.HashMap<>(idp.settings());
    settings.put("mode", "prod");
    settings.put("policy.edition", edition);
    try (ConsoleServer s = ConsoleServer.start(dir, settings)) {
      String tenant = "demo-" + edition.replace("-", "");
      DemoTenant.Result r = new DemoTenant(s.base).create(tenant, Optional.of(operator));
      assertThat(r.denyReasons()).containsExactly("quota_concurrency_exceeded");
      assertThat(r.deniedDecision()).isNotEmpty();
      assertThat(r.summary())
          .contains("started over the concurrent-runs quota: quota_concurrency_exceeded");
      assertThat(r.export().receipts()).isGreaterThan(5);
      s.awaitStep(operator, r.pendingRun() + "?tenant=" + tenant, "approve", "WAITING");
      JsonNode made = s.call("GET", "/api/tenants/" + tenant, operator, null, null);
      assertThat(made.path("profile").asText()).isEqualTo("partner-demo");
      assertThat(made.path("demo_operator").asText()).isEqualTo("olga@platform");

      // Another platform administrator is refused in the demo tenant, as in a customer's; and
      // the operator, in a customer's tenant: both policy decisions, receipted.
      String other = idp.accessToken("pat@platform", null, List.of("conductor_admin"));
      var refused =
          s.send(
              "POST",
              "/api/runs?tenant=" + tenant,
              "{\"workflow\":\"demo-hello\"}",
              "application/json",
              "Bearer " + other,
              null);
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("policy_denied").contains("cross_tenant_access");
      s.call("POST", "/api/tenants", operator, "{\"id\":\"globex\"}", "application/json");
      var customer =
          s.send(
              "PUT",
              "/api/workflows/demo-hello/versions/1?tenant=globex",
              "name: x\n",
              "application/yaml",
              "Bearer " + operator,
              null);
      assertThat(customer.statusCode()).isEqualTo(403);
      assertThat(customer.body()).contains("cross_tenant_access");
      assertThat(platformRefusals(s, "pat@platform", "cross_tenant_access"))
          .extracting(x -> x.decision().orElseThrow().id())
          .contains(decisionId(refused.body()));
      assertThat(platformRefusals(s, "olga@platform", "cross_tenant_access"))
          .extracting(x -> x.decision().orElseThrow().id())
          .contains(decisionId(customer.body()));
    }
  }

  @Test
  void aPolicyThatKeepsTheOperatorOutRefusesTheDemoBeforeTheTenantExists(@TempDir Path dir)
      throws Exception {
    // The canon packs, signed by the installation, with partner-demo granting its operator nothing.
    var key =
        io.maestro.policy.bundle.Keys.generate(io.maestro.policy.bundle.SignatureAlgorithm.EdDSA);
    var canon = io.maestro.policy.CanonBundle.load().bundle();
    java.util.Map<String, byte[]> files = new java.util.TreeMap<>();
    canon.paths().forEach(p -> files.put(p, canon.file(p).orElseThrow()));
    String profile =
        files.keySet().stream()
            .filter(p -> p.endsWith("profiles/partner-demo/data.yaml"))
            .findFirst()
            .orElseThrow();
    String yaml = new String(files.get(profile), StandardCharsets.UTF_8);
    String without = yaml.replaceAll("(?m)^  demo_operator:.*\n", "");
    assertThat(without).isNotEqualTo(yaml);
    files.put(profile, without.getBytes(StandardCharsets.UTF_8));
    var signed =
        io.maestro.policy.bundle.BundleSigner.sign(
            io.maestro.policy.bundle.Bundle.of(
                "ops.tar.gz", files, canon.manifest().withRevision("no-demo-operator")),
            key,
            io.maestro.policy.bundle.BundleSigner.Options.keyId("ops"));
    Path bundle = dir.resolve("ops.tar.gz");
    io.maestro.policy.bundle.BundleIO.writeTarGz(signed, bundle);
    Path pem = dir.resolve("ops.pub.pem");
    java.nio.file.Files.writeString(
        pem, io.maestro.policy.bundle.Keys.toPem(key.publicKey().orElseThrow()));
    var settings = new java.util.HashMap<>(idp.settings());
    settings.put("mode", "prod");
    settings.put("policy.edition", "saas");
    settings.put("policy.bundle.path", bundle.toString());
    settings.put("policy.bundle.keys", "ops=" + pem);
    try (ConsoleServer s = ConsoleServer.start(dir.resolve("data"), settings)) {
      assertThatThrownBy(() -> new DemoTenant(s.base).create("demo-half", Optional.of(operator)))
          .isInstanceOfSatisfying(
              DemoTenant.DemoFailed.class,
              e -> {
                assertThat(e.getMessage()).startsWith("create demo tenant demo-half: HTTP 403");
                assertThat(e.code()).isEqualTo("policy_denied");
                assertThat(e.getMessage()).contains("cross_tenant_access");
                assertThat(platformRefusals(s, "olga@platform", "cross_tenant_access"))
                    .extracting(x -> x.decision().orElseThrow().id())
                    .contains(e.decisionId());
              });
      assertThatThrownBy(() -> s.call("GET", "/api/tenants/demo-half", operator, null, null))
          .as("nothing was provisioned")
          .hasMessageContaining("404");
    }
  }

  private static String decisionId(String problem) throws java.io.IOException {
    String id =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(problem)
            .path("decision_id")
            .asText();
    assertThat(id).as(problem).isNotEmpty();
    return id;
  }

  /** Receipts of the platform log whose actor is {@code actor}, refused for {@code reason}. */
  private static List<io.maestro.provenance.Receipt> platformRefusals(
      ConsoleServer s, String actor, String reason) {
    return s.server
        .database()
        .inTransaction(
            io.maestro.store.TenantScope.platform(),
            tx ->
                new io.maestro.provenance.ReceiptLog("t")
                    .list(
                        tx,
                        io.maestro.provenance.LogId.platform(),
                        new io.maestro.provenance.ReceiptLog.Query(
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.of(actor),
                            Optional.of(reason),
                            0,
                            100))
                    .receipts());
  }
}
