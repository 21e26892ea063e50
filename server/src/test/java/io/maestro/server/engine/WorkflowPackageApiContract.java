package io.maestro.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.TenantId;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.keys.Ed25519;
import io.maestro.provenance.keys.KeyStore;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.packages.WorkflowPackage;
import io.maestro.server.MaestroServer;
import io.maestro.server.auth.Api;
import io.maestro.server.http.HttpJson;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing signed workflow packages on a real server, behind the real policy gate and the canon
 * packs, under the {@code regulated} profile (which requires signed packages); written once, run on
 * H2 and PostgreSQL for the stored fields.
 */
abstract class WorkflowPackageApiContract {
  static final TenantId ACME = TenantId.of("acme");
  static final Map<String, String> GZIP = Map.of("Content-Type", "application/gzip");
  static final String HELLO =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: packaged-hello, version: "1"}
      spec:
        tasks:
          - {id: greet, uses: core/log, with: {message: hi}}
      """;

  @TempDir Path dir;

  /** A server on this backend with {@code overrides} on top of the test configuration. */
  abstract MaestroServer start(Path dataDir, Map<String, String> overrides);

  static Signer signer(String name, int fill) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) fill);
    PublicKeyInfo info =
        PublicKeyInfo.of(
            name,
            Ed25519.publicKey(seed),
            Instant.EPOCH,
            PublicKeyInfo.KeyStatus.ACTIVE,
            Optional.empty());
    return Signer.of(new KeyStore.StoredKey(info, seed));
  }

  /** {@code pkg} with one byte of {@code file} flipped, its digest manifest and signature kept. */
  static byte[] tampered(byte[] pkg, String file) {
    WorkflowPackage p = WorkflowPackage.read(new ByteArrayInputStream(pkg));
    TreeMap<String, byte[]> files = new TreeMap<>(p.files());
    byte[] b = files.get(file).clone();
    b[0] ^= 1;
    files.put(file, b);
    return p.withFiles(files).toBytes();
  }

  @Test
  void publish_acceptsOnlyIntactSignedPackages_andRecordsDigestAndSigner() throws Exception {
    Signer publisher = signer("publisher", 7);
    Path jwks = dir.resolve("publishers.json");
    Files.writeString(jwks, TrustedKeys.of(List.of(publisher.key())).toJwks().toString());
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("hello.yaml"), HELLO);
    Files.createDirectories(src.resolve("data"));
    Files.writeString(src.resolve("data/input.csv"), "a,b\n1,2\n");
    WorkflowPackage pkg = WorkflowPackage.of(src);
    byte[] signed = pkg.sign(publisher).toBytes();

    try (MaestroServer server =
        start(
            dir.resolve("data"),
            Map.of(
                "packages.trustedKeys", jwks.toString(), "policy.defaultProfile", "regulated"))) {
      Api api = new Api(server.port());
      String author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
      String path = "/api/workflows/packages";

      Api.Reply unsigned = api.call("POST", path, author, pkg.toBytes(), GZIP);
      assertThat(unsigned.status()).as(unsigned.body().toString()).isEqualTo(403);
      assertThat(unsigned.reasonCodes()).containsExactly("workflow_package_unsigned");

      Api.Reply tamper = api.call("POST", path, author, tampered(signed, "data/input.csv"), GZIP);
      assertThat(tamper.status()).isEqualTo(403);
      assertThat(tamper.reasonCodes()).containsExactly("workflow_package_tampered");
      assertThat(tamper.body().path("reasons").get(0).path("message").asText())
          .contains("data/input.csv");

      byte[] foreign = pkg.sign(signer("stranger", 9)).toBytes();
      Api.Reply untrusted = api.call("POST", path, author, foreign, GZIP);
      assertThat(untrusted.reasonCodes()).containsExactly("workflow_signature_invalid");

      Api.Reply garbage = api.call("POST", path, author, "not a package".getBytes(), GZIP);
      assertThat(garbage.status()).isEqualTo(400);
      assertThat(garbage.code()).isEqualTo("workflow_package_invalid");

      // Nothing of the refused packages was written.
      assertThat(api.call("GET", "/api/workflows/packaged-hello", author, null).status())
          .isEqualTo(404);

      // A version saved by hand cannot be published where signed packages are required.
      Api.Reply put =
          api.call(
              "PUT",
              "/api/workflows/by-hand/versions/1",
              author,
              Map.of(
                  "apiVersion",
                  "maestro/v1",
                  "kind",
                  "Workflow",
                  "metadata",
                  Map.of("name", "by-hand", "version", "1"),
                  "spec",
                  Map.of("tasks", List.of(Map.of("id", "a", "uses", "core/noop")))));
      assertThat(put.status()).as(put.body().toString()).isEqualTo(201);
      Api.Reply byHand =
          api.call("POST", "/api/workflows/by-hand/versions/1/publish", author, null);
      assertThat(byHand.reasonCodes()).containsExactly("workflow_package_unsigned");

      Api.Reply ok = api.call("POST", path, author, signed, GZIP);
      assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
      assertThat(ok.body().path("digest").asText()).isEqualTo(pkg.digest());
      assertThat(ok.body().path("signer").asText()).isEqualTo(publisher.key().keyId());
      JsonNode v = api.call("GET", "/api/workflows/packaged-hello/versions/1", author, null).body();
      assertThat(v.path("status").asText()).isEqualTo("PUBLISHED");
      assertThat(v.path("package").path("digest").asText()).isEqualTo(pkg.digest());
      assertThat(v.path("package").path("signer").asText()).isEqualTo(publisher.key().keyId());

      // The version runs.
      String operator = api.token("acme", "olga@acme", "operator");
      assertThat(
              api.call("POST", "/api/runs", operator, Map.of("workflow", "packaged-hello"))
                  .status())
          .isEqualTo(202);

      try (Database db = MaestroServer.openDatabase(server.config())) {
        List<Receipt> receipts = receipts(db);
        Receipt published =
            receipts.stream()
                .filter(r -> r.type().name().equals("workflow.published"))
                .filter(r -> r.subject().id().startsWith("packaged-hello"))
                .findFirst()
                .orElseThrow();
        JsonNode payload = HttpJson.MAPPER.readTree(published.payload().orElseThrow());
        assertThat(payload.path("package_digest").asText()).isEqualTo(pkg.digest());
        assertThat(payload.path("package_signer").asText()).isEqualTo(publisher.key().keyId());
        assertThat(published.decision().orElseThrow().id())
            .isEqualTo(ok.body().path("decision_id").asText());
        for (Api.Reply refused : List.of(unsigned, tamper, untrusted, byHand)) {
          String id = refused.body().path("decision_id").asText();
          assertThat(id).isNotEmpty();
          assertThat(receipts)
              .as("a policy.denied receipt for decision " + id)
              .anyMatch(
                  r ->
                      r.type().name().equals("policy.denied")
                          && r.decision().map(d -> d.id().equals(id)).orElse(false));
        }
      }
    }
  }

  static List<Receipt> receipts(Database db) {
    ReceiptLog log = new ReceiptLog("maestro.test");
    return db.inTransaction(
        TenantScope.of(ACME),
        tx ->
            log.list(tx, LogId.tenant(ACME), ReceiptLog.Query.all(ReceiptLog.MAX_PAGE)).receipts());
  }
}
