package io.maestro.server.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.TenantId;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.ConsistencyProof;
import io.maestro.provenance.InclusionProof;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import io.maestro.provenance.verify.ReceiptVerifier;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.store.TenantScope;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receipts API through the real server and its policy gate: dev tokens, the tenant the gate
 * establishes, and every answer checked with the offline verifiers and nothing but the public keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvenanceServiceTest {
  static final int MEMBERS = 5;

  @TempDir static Path dir;
  MaestroServer server;
  Api api;
  String root;
  String acmeAdmin;
  String globexAdmin;
  String acmeOperator;

  @BeforeAll
  void start() {
    server = TestServers.start(dir);
    api = new Api(server.port());
    root = api.token(null, "root@platform", "conductor_admin");
    // Provisions acme (its genesis receipt), then each membership change is a receipt.
    acmeAdmin = api.token("acme", "admin@acme", "tenant_admin");
    globexAdmin = api.token("globex", "admin@globex", "tenant_admin");
    acmeOperator = api.token("acme", "ops@acme", "operator");
    for (int i = 0; i < MEMBERS; i++) {
      Api.Reply r =
          api.call(
              "PUT",
              "/api/tenants/acme/members/m" + i + "@acme",
              acmeAdmin,
              Map.of("role", "operator"));
      assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** Acme's log as the database holds it, for comparison with what the API answers. */
  List<Receipt> log(String tenant) {
    return server
        .database()
        .inTransaction(
            TenantScope.platform(),
            tx ->
                new ReceiptLog("t")
                    .list(tx, LogId.tenant(TenantId.of(tenant)), ReceiptLog.Query.all(500))
                    .receipts());
  }

  long denials(String tenant) {
    return log(tenant).stream().filter(r -> r.type().equals(ReceiptTypes.POLICY_DENIED)).count();
  }

  /** The latest checkpoint of the caller's log once it covers {@code size} receipts. */
  JsonNode checkpointCovering(String token, long size) throws InterruptedException {
    // The checkpointer signs about every second; wait for it rather than reach into the server.
    for (int i = 0; i < 200; i++) {
      Api.Reply r = api.call("GET", "/api/checkpoints/latest", token, null);
      if (r.status() == 200 && r.body().path("size").asLong() >= size) {
        return r.body();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no checkpoint covered " + size + " receipts");
  }

  TrustedKeys keys() throws Exception {
    Api.Reply r = api.call("GET", "/.well-known/maestro/keys", null, null);
    assertThat(r.status()).isEqualTo(200);
    return TrustedKeys.fromJwks(r.body());
  }

  @Test
  void keys_arePublic() throws Exception {
    Api.Reply r = api.call("GET", "/.well-known/maestro/keys", null, null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().body()).contains("\"kty\":\"OKP\"").contains("\"crv\":\"Ed25519\"");
    assertThat(keys().keys()).hasSize(1);
  }

  @Test
  void everyReceiptRoute_needsAToken() {
    for (String path :
        List.of(
            "/api/receipts",
            "/api/receipts/export",
            "/api/receipts/rcp_x",
            "/api/checkpoints/latest",
            "/api/checkpoints/consistency?from=1&to=2")) {
      assertThat(api.call("GET", path, null, null).status()).as(path).isEqualTo(401);
    }
  }

  @Test
  void tenantAdmin_listsItsOwnReceipts_pagedAndFiltered() {
    Api.Reply page = api.call("GET", "/api/receipts?limit=2", acmeAdmin, null);
    assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
    assertThat(page.body().path("receipts")).hasSize(2);
    assertThat(page.body().path("next_after").asLong()).isEqualTo(2);
    assertThat(page.body().path("receipts").findValuesAsText("tenant")).containsOnly("acme");
    assertThat(page.body().path("receipts").get(0).path("id").asText())
        .isEqualTo(log("acme").get(0).id());

    Api.Reply provisioned =
        api.call("GET", "/api/receipts?type=" + ReceiptTypes.TENANT_PROVISIONED, acmeAdmin, null);
    assertThat(provisioned.body().path("receipts")).hasSize(1);
    assertThat(provisioned.body().path("next_after").isNull()).isTrue();

    Api.Reply bad = api.call("GET", "/api/receipts?limit=0", acmeAdmin, null);
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.code()).isEqualTo("validation_failed");
  }

  @Test
  void tenantAdmin_readsAReceiptWithAnInclusionProofThatVerifiesOffline() throws Exception {
    Receipt first = log("acme").get(0);
    checkpointCovering(acmeAdmin, 1 + MEMBERS);
    Api.Reply r = api.call("GET", "/api/receipts/" + first.id(), acmeAdmin, null);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    var verified =
        ReceiptVerifier.verify(
            r.body().get("receipt"),
            InclusionProof.fromJson(r.body().get("proof")),
            r.body().get("checkpoint").asText(),
            keys());
    assertThat(verified.receipt().id()).isEqualTo(first.id());
    assertThat(verified.receipt().type()).isEqualTo(ReceiptTypes.TENANT_PROVISIONED);
    assertThat(verified.checkpoint().origin()).isEqualTo("maestro.local/tenant/acme");
    assertThat(verified.checkpoint().size()).isGreaterThanOrEqualTo(1 + MEMBERS);

    Api.Reply missing =
        api.call("GET", "/api/receipts/rcp_00000000000070008000000000000000", acmeAdmin, null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo("receipt_not_found");
  }

  @Test
  void checkpoints_latestAndAConsistencyProofBetweenTwoOfThem_verifyOffline() throws Exception {
    TrustedKeys keys = keys();
    Checkpoint older =
        Checkpoint.verify(checkpointCovering(acmeAdmin, 1 + MEMBERS).path("note").asText(), keys);
    // The log grows: one more membership change, then a later checkpoint over it.
    api.call("PUT", "/api/tenants/acme/members/late@acme", acmeAdmin, Map.of("role", "read_only"));
    JsonNode latest = checkpointCovering(acmeAdmin, older.size() + 1);
    Checkpoint newer = Checkpoint.verify(latest.path("note").asText(), keys);
    assertThat(latest.path("size").asLong()).isEqualTo(newer.size());
    assertThat(latest.path("origin").asText()).isEqualTo("maestro.local/tenant/acme");

    Api.Reply c =
        api.call(
            "GET",
            "/api/checkpoints/consistency?from=" + older.size() + "&to=" + newer.size(),
            acmeAdmin,
            null);
    assertThat(c.status()).as(c.body().toString()).isEqualTo(200);
    ConsistencyProof proof = ConsistencyProof.fromJson(c.body());
    assertThat(proof.verify(older.root(), newer.root()))
        .as("the newer tree extends the older one")
        .isTrue();

    Api.Reply range =
        api.call("GET", "/api/checkpoints/consistency?from=5&to=9999", acmeAdmin, null);
    assertThat(range.status()).isEqualTo(422);
    assertThat(range.code()).isEqualTo("bad_tree_range");
  }

  @Test
  void export_streamsNdjsonThatVerifiesOffline() throws Exception {
    JsonNode cp = checkpointCovering(acmeAdmin, 1 + MEMBERS);
    Api.Reply r = api.call("GET", "/api/receipts/export?from=2", acmeAdmin, null);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    var report = ExportVerifier.verify(new StringReader(r.raw().body()), keys(), Optional.empty());
    assertThat(report.log()).isEqualTo(LogId.tenant(TenantId.of("acme")));
    assertThat(report.from()).isEqualTo(2);
    assertThat(report.to()).isGreaterThanOrEqualTo(cp.path("size").asLong());
  }

  @Test
  void operator_readsAndLists_butMayNotExport() {
    assertThat(api.call("GET", "/api/receipts", acmeOperator, null).status()).isEqualTo(200);
    assertThat(api.call("GET", "/api/checkpoints/latest", acmeOperator, null).status())
        .isIn(200, 404);
    long before = denials("acme");
    Api.Reply export = api.call("GET", "/api/receipts/export", acmeOperator, null);
    assertThat(export.status()).isEqualTo(403);
    assertThat(export.code()).isEqualTo("policy_denied");
    assertThat(export.reasonCodes()).containsExactly("role_not_permitted");
    assertThat(denials("acme")).isEqualTo(before + 1);
  }

  @Test
  void tenantB_cannotReadTenantAsReceipts() throws Exception {
    Receipt acmeFirst = log("acme").get(0);
    long before = denials("globex");

    // Naming acme is refused by policy, with the reasons and a receipt in globex's own log.
    for (String path :
        List.of(
            "/api/receipts?tenant=acme",
            "/api/receipts/" + acmeFirst.id() + "?tenant=acme",
            "/api/receipts/export?tenant=acme",
            "/api/checkpoints/latest?tenant=acme",
            "/api/checkpoints/consistency?tenant=acme&from=1&to=2")) {
      Api.Reply r = api.call("GET", path, globexAdmin, null);
      assertThat(r.status()).as(path).isEqualTo(403);
      assertThat(r.reasonCodes()).as(path).contains("cross_tenant_access");
      assertThat(r.body().path("decision_id").asText()).startsWith("dec_");
    }
    assertThat(denials("globex")).isEqualTo(before + 5);
    Receipt denial = log("globex").get(log("globex").size() - 1);
    assertThat(denial.type()).isEqualTo(ReceiptTypes.POLICY_DENIED);
    assertThat(denial.decision().orElseThrow().reasonCodes()).contains("cross_tenant_access");

    // By id alone, acme's receipt is not in globex's log: the same answer as for no receipt at all.
    Api.Reply byId = api.call("GET", "/api/receipts/" + acmeFirst.id(), globexAdmin, null);
    Api.Reply none =
        api.call("GET", "/api/receipts/rcp_00000000000070008000000000000000", globexAdmin, null);
    assertThat(byId.status()).isEqualTo(404);
    assertThat(byId.code()).isEqualTo("receipt_not_found").isEqualTo(none.code());
    assertThat(byId.raw().body()).doesNotContain("admin@acme");

    // Without naming a tenant globex reads its own log, and only that.
    Api.Reply own = api.call("GET", "/api/receipts?limit=500", globexAdmin, null);
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.body().path("receipts").findValuesAsText("tenant")).containsOnly("globex");
    List<String> ownIds = new java.util.ArrayList<>();
    own.body().path("receipts").forEach(x -> ownIds.add(x.path("id").asText()));
    assertThat(ownIds).doesNotContainAnyElementsOf(log("acme").stream().map(Receipt::id).toList());
  }

  @Test
  void platformAdmin_namesTheTenantWithTheQueryParameter() throws Exception {
    Api.Reply acme = api.call("GET", "/api/receipts?tenant=acme", root, null);
    assertThat(acme.status()).as(acme.body().toString()).isEqualTo(200);
    assertThat(acme.body().path("receipts").findValuesAsText("tenant")).containsOnly("acme");

    Api.Reply header =
        api.call("GET", "/api/receipts", root, null, Map.of("X-Maestro-Tenant", "globex"));
    assertThat(header.body().path("receipts").findValuesAsText("tenant")).containsOnly("globex");

    Api.Reply noTenant = api.call("GET", "/api/receipts", root, null);
    assertThat(noTenant.status()).isEqualTo(422);
    assertThat(noTenant.code()).isEqualTo("validation_failed");

    // A tenant with no receipts yet has no checkpoint: a problem, also for the streamed export.
    Api.Reply none = api.call("GET", "/api/checkpoints/latest?tenant=nosuch", root, null);
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.code()).isEqualTo("checkpoint_not_found");
    Api.Reply noExport = api.call("GET", "/api/receipts/export?tenant=nosuch", root, null);
    assertThat(noExport.status()).isEqualTo(404);
    assertThat(noExport.raw().headers().firstValue("Content-Type"))
        .hasValue("application/problem+json");
  }
}
