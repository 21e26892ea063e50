package io.maestro.server.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.provenance.InclusionProof;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.ProvenanceSettings;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.keys.FileKeyStore;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import io.maestro.provenance.verify.ReceiptVerifier;
import io.maestro.server.http.ApiRouter;
import io.maestro.server.http.HttpJson;
import io.maestro.server.metrics.MetricsService;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.TestDatabase;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provenance endpoints over real HTTP on an H2 database, checked with the offline verifiers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvenanceServiceTest {
  static final TenantId ACME = TenantId.of("acme");

  @TempDir static Path dir;
  TestDatabase tdb;
  Provenance provenance;
  MetricsService metrics;
  WebServer web;
  final HttpClient http = HttpClient.newHttpClient();
  String firstId;

  @BeforeAll
  void start() {
    tdb = TestDatabase.h2();
    SecureRandom random = new SecureRandom();
    provenance =
        Provenance.open(
            tdb.database(),
            ProvenanceSettings.defaults(),
            new FileKeyStore(dir.resolve("keys")),
            Clock.systemUTC(),
            random,
            random);
    Actor alice = new Actor("alice", Optional.of(ACME), List.of("operator"), Map.of(), "oidc");
    for (int i = 0; i < 12; i++) {
      ReceiptDraft d =
          ReceiptDraft.of(
              LogId.tenant(ACME),
              i == 5 ? ReceiptTypes.POLICY_DENIED : ReceiptTypes.RUN_STARTED,
              alice,
              "run.start",
              ReceiptDraft.Subject.of("run", "run_" + i));
      var r =
          tdb.database()
              .inTransaction(TenantScope.of(ACME), tx -> provenance.receipts().append(tx, d));
      if (i == 0) {
        firstId = r.id();
      }
    }
    provenance.checkpointer().runOnce();
    metrics = new MetricsService();
    ApiRouter router = new ApiRouter(List.of(new ProvenanceService(tdb.database(), provenance)));
    web =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownHook(false)
            .routing(r -> router.configure(r, metrics, 1 << 20))
            .build()
            .start();
  }

  @AfterAll
  void stop() {
    web.stop();
    metrics.close();
    provenance.checkpointer().close();
    tdb.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  TrustedKeys keys() throws Exception {
    return TrustedKeys.fromJwks(HttpJson.MAPPER.readTree(get("/.well-known/maestro/keys").body()));
  }

  @Test
  void keys_areAPublicJwks() throws Exception {
    HttpResponse<String> r = get("/.well-known/maestro/keys");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(keys().keys()).hasSize(1);
    assertThat(r.body()).contains("\"kty\":\"OKP\"").contains("\"crv\":\"Ed25519\"");
  }

  @Test
  void getReceipt_returnsAProofThatVerifiesOffline() throws Exception {
    HttpResponse<String> r = get("/api/receipts/" + firstId + "?tenant=acme");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = HttpJson.MAPPER.readTree(r.body());
    var v =
        ReceiptVerifier.verify(
            body.get("receipt"),
            InclusionProof.fromJson(body.get("proof")),
            body.get("checkpoint").asText(),
            keys());
    assertThat(v.receipt().id()).isEqualTo(firstId);
    assertThat(v.checkpoint().size()).isEqualTo(12);
  }

  @Test
  void listReceipts_pagesAndFilters() throws Exception {
    JsonNode page = HttpJson.MAPPER.readTree(get("/api/receipts?tenant=acme&limit=5").body());
    assertThat(page.get("receipts")).hasSize(5);
    assertThat(page.get("next_after").asLong()).isEqualTo(5);
    JsonNode denied =
        HttpJson.MAPPER.readTree(get("/api/receipts?tenant=acme&type=policy.denied").body());
    assertThat(denied.get("receipts")).hasSize(1);
    assertThat(denied.get("next_after").isNull()).isTrue();
  }

  @Test
  void export_streamsNdjsonThatVerifiesOffline() throws Exception {
    HttpResponse<String> r = get("/api/receipts/export?tenant=acme&from=3");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    var report = ExportVerifier.verify(new StringReader(r.body()), keys(), Optional.empty());
    assertThat(report.from()).isEqualTo(3);
    assertThat(report.to()).isEqualTo(12);
  }

  @Test
  void checkpoints_latestAndConsistency() throws Exception {
    JsonNode cp = HttpJson.MAPPER.readTree(get("/api/checkpoints/latest?tenant=acme").body());
    assertThat(cp.get("size").asLong()).isEqualTo(12);
    assertThat(cp.get("origin").asText()).isEqualTo("maestro.local/tenant/acme");
    HttpResponse<String> c = get("/api/checkpoints/consistency?tenant=acme&from=4&to=12");
    assertThat(c.statusCode()).isEqualTo(200);
    assertThat(HttpJson.MAPPER.readTree(c.body()).get("hashes").size()).isPositive();
  }

  @Test
  void badTenantAndMissingThings_areProblems() throws Exception {
    HttpResponse<String> bad = get("/api/receipts?tenant=_platform");
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.body()).contains("validation_failed");
    HttpResponse<String> missing = get("/api/receipts/rcp_nope?tenant=acme");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("receipt_not_found");
    HttpResponse<String> none = get("/api/checkpoints/latest?tenant=globex");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).contains("checkpoint_not_found");
    HttpResponse<String> noExport = get("/api/receipts/export?tenant=globex");
    assertThat(noExport.statusCode()).isEqualTo(404);
    assertThat(noExport.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    HttpResponse<String> range = get("/api/checkpoints/consistency?tenant=acme&from=5&to=99");
    assertThat(range.statusCode()).isEqualTo(422);
    assertThat(range.body()).contains("bad_tree_range");
  }
}
