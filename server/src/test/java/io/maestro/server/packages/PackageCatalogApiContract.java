package io.maestro.server.packages;

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
import io.maestro.provenance.packages.PackageProvenance;
import io.maestro.provenance.packages.WorkflowPackage;
import io.maestro.server.MaestroServer;
import io.maestro.server.auth.Api;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package catalog on a real server behind the real gate and canon packs: publishing into a
 * tenant's catalog and installing verify the whole chain (digests, the provenance statement, the
 * signature by a key the tenant trusts), each tenant trusts its own publishers, and the default
 * catalog's golden packages install as the installation signed them. Written once, run on H2 and
 * PostgreSQL (row-level security on the catalog tables).
 */
abstract class PackageCatalogApiContract {
  static final TenantId ACME = TenantId.of("acme");
  static final Map<String, String> GZIP = Map.of("Content-Type", "application/gzip");
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path dir;

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

  WorkflowPackage built() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(
        src.resolve("hello.yaml"),
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: catalog-hello, version: "1"}
        spec:
          tasks:
            - {id: greet, uses: core/log, with: {message: hi}}
        """);
    Files.createDirectories(src.resolve("data"));
    Files.writeString(src.resolve("data/input.csv"), "a,b\n1,2\n");
    WorkflowPackage plain = WorkflowPackage.of(src, "hello-pkg", "1");
    return plain.withProvenance(
        PackageProvenance.statement(
            plain,
            "ci:acme-flows",
            PackageProvenance.Source.git("https://example.com/acme/flows", COMMIT)));
  }

  static byte[] tampered(byte[] pkg, String file) {
    WorkflowPackage p = WorkflowPackage.read(new ByteArrayInputStream(pkg));
    TreeMap<String, byte[]> files = new TreeMap<>(p.files());
    byte[] b = files.get(file).clone();
    b[0] ^= 1;
    files.put(file, b);
    return p.withFiles(files).toBytes();
  }

  static JsonNode jwk(Signer s) {
    return TrustedKeys.of(List.of(s.key())).toJwks().path("keys").get(0);
  }

  static String message(Api.Reply r) {
    return r.body().path("reasons").get(0).path("message").asText();
  }

  @Test
  void publishAndInstall_verifyTheChainAgainstTheKeysEachTenantTrusts() throws Exception {
    Signer publisher = signer("acme-publisher", 7);
    WorkflowPackage pkg = built();
    byte[] signed = pkg.sign(publisher).toBytes();
    String kid = publisher.key().keyId();

    try (MaestroServer server = start(dir.resolve("data"), Map.of())) {
      Api api = new Api(server.port());
      String author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
      String admin = api.token("acme", "ada@acme", "tenant_admin");
      String globex = api.token("globex", "gil@globex", "tenant_admin");

      // Not yet trusted by acme: the signature check fails.
      Api.Reply untrusted = api.call("POST", "/api/packages", author, signed, GZIP);
      assertThat(untrusted.status()).as(untrusted.body().toString()).isEqualTo(403);
      assertThat(untrusted.reasonCodes()).containsExactly("workflow_signature_invalid");
      assertThat(message(untrusted)).contains("the signature check failed on");

      // An author may not change what the tenant trusts; a tenant admin may.
      assertThat(api.call("PUT", "/api/package-publishers/" + kid, author, jwk(publisher)).status())
          .isEqualTo(403);
      Api.Reply trusted = api.call("PUT", "/api/package-publishers/" + kid, admin, jwk(publisher));
      assertThat(trusted.status()).as(trusted.body().toString()).isEqualTo(201);
      assertThat(api.call("PUT", "/api/package-publishers/" + kid, admin, jwk(publisher)).status())
          .isEqualTo(200);
      Api.Reply wrongKid =
          api.call("PUT", "/api/package-publishers/other+00000000", admin, jwk(publisher));
      assertThat(wrongKid.status()).isEqualTo(422);
      assertThat(wrongKid.code()).isEqualTo("publisher_key_invalid");

      Api.Reply published = api.call("POST", "/api/packages", author, signed, GZIP);
      assertThat(published.status()).as(published.body().toString()).isEqualTo(201);
      assertThat(published.body().path("signer").asText()).isEqualTo(kid);
      assertThat(published.body().path("provenance").path("builder").asText())
          .isEqualTo("ci:acme-flows");
      assertThat(published.body().path("provenance").path("sourceDigest").asText())
          .isEqualTo("gitCommit:" + COMMIT);
      Api.Reply again = api.call("POST", "/api/packages", author, signed, GZIP);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.body().path("receipt").isNull()).isTrue();

      // Another version 1 with other bytes is a conflict.
      byte[] other =
          WorkflowPackage.of(
                  Map.of(
                      "x.json",
                      "{\"kind\":\"Workflow\",\"apiVersion\":\"maestro/v1\",\"metadata\":{\"name\":\"x\",\"version\":\"1\"},\"spec\":{\"tasks\":[{\"id\":\"a\",\"uses\":\"core/noop\"}]}}"
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                  "hello-pkg",
                  "1")
              .sign(publisher)
              .toBytes();
      Api.Reply conflict = api.call("POST", "/api/packages", author, other, GZIP);
      assertThat(conflict.status()).isEqualTo(409);
      assertThat(conflict.code()).isEqualTo("package_version_exists");

      JsonNode shown = api.call("GET", "/api/packages/hello-pkg", author, null).body();
      assertThat(shown.path("versions").get(0).path("catalog").asText()).isEqualTo("tenant");
      List<String> names = new ArrayList<>();
      api.call("GET", "/api/packages", author, null)
          .body()
          .path("items")
          .forEach(e -> names.add(e.path("name").asText()));
      assertThat(names).contains("hello-pkg", "golden-retry", "golden-approval");

      // Another tenant sees none of acme's catalog and does not trust acme's publisher.
      Api.Reply foreignShow = api.call("GET", "/api/packages/hello-pkg", globex, null);
      assertThat(foreignShow.status()).isEqualTo(404);
      assertThat(foreignShow.code()).isEqualTo("package_not_found");
      assertThat(api.call("POST", "/api/packages/hello-pkg/install", globex, Map.of()).status())
          .isEqualTo(404);
      Api.Reply foreignInstall = api.call("POST", "/api/packages/install", globex, signed, GZIP);
      assertThat(foreignInstall.reasonCodes()).containsExactly("workflow_signature_invalid");

      // Tampered, unsigned and re-stated packages are refused naming the failing check.
      Api.Reply tamper =
          api.call(
              "POST", "/api/packages/install", author, tampered(signed, "data/input.csv"), GZIP);
      assertThat(tamper.status()).isEqualTo(403);
      assertThat(tamper.reasonCodes()).containsExactly("workflow_package_tampered");
      assertThat(message(tamper)).contains("the digest check failed on data/input.csv");
      Api.Reply unsigned = api.call("POST", "/api/packages/install", author, pkg.toBytes(), GZIP);
      assertThat(unsigned.reasonCodes()).containsExactly("workflow_package_unsigned");
      assertThat(message(unsigned)).contains("the signature check failed");
      WorkflowPackage restated =
          WorkflowPackage.read(new ByteArrayInputStream(signed))
              .withProvenance(
                  PackageProvenance.statement(
                      pkg, "someone-else", PackageProvenance.Source.git("https://evil", COMMIT)));
      Api.Reply swapped =
          api.call(
              "POST",
              "/api/packages/install",
              author,
              restated
                  .withSignature(
                      WorkflowPackage.read(new ByteArrayInputStream(signed))
                          .signature()
                          .orElseThrow())
                  .toBytes(),
              GZIP);
      assertThat(swapped.reasonCodes()).containsExactly("workflow_package_tampered");
      assertThat(message(swapped)).contains("the provenance check failed");
      assertThat(api.call("GET", "/api/workflows/catalog-hello", author, null).status())
          .isEqualTo(404);

      // Installing from the catalog publishes the workflows with the package's digest and signer.
      Api.Reply installed = api.call("POST", "/api/packages/hello-pkg/install", author, Map.of());
      assertThat(installed.status()).as(installed.body().toString()).isEqualTo(200);
      assertThat(installed.body().path("workflows").get(0).path("name").asText())
          .isEqualTo("catalog-hello");
      JsonNode v = api.call("GET", "/api/workflows/catalog-hello/versions/1", author, null).body();
      assertThat(v.path("package").path("digest").asText()).isEqualTo(pkg.digest());
      assertThat(v.path("package").path("signer").asText()).isEqualTo(kid);

      // Once acme stops trusting the key, its packages no longer install.
      assertThat(api.call("DELETE", "/api/package-publishers/" + kid, admin, null).status())
          .isEqualTo(200);
      Api.Reply afterRemoval =
          api.call("POST", "/api/packages/hello-pkg/install", author, Map.of());
      assertThat(afterRemoval.reasonCodes()).containsExactly("workflow_signature_invalid");
      Api.Reply missing = api.call("DELETE", "/api/package-publishers/" + kid, admin, null);
      assertThat(missing.code()).isEqualTo("publisher_not_found");

      try (Database db = MaestroServer.openDatabase(server.config())) {
        List<String> types =
            receipts(db).stream()
                .map(r -> r.type().name())
                .filter(t -> t.startsWith("package."))
                .toList();
        assertThat(types)
            .containsExactly(
                "package.publisher_trusted", "package.published", "package.publisher_removed");
      }
    }
  }

  @Test
  void defaultCatalog_goldenPackagesInstallAsTheInstallationSignedThem() throws Exception {
    try (MaestroServer server = start(dir.resolve("data"), Map.of())) {
      Api api = new Api(server.port());
      String author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
      JsonNode shown = api.call("GET", "/api/packages/golden-retry", author, null).body();
      JsonNode v = shown.path("versions").get(0);
      assertThat(v.path("catalog").asText()).isEqualTo("default");
      assertThat(v.path("signer").asText()).startsWith("maestro-catalog+");
      assertThat(v.path("provenance").path("builder").asText()).startsWith("maestro-server@");
      JsonNode publishers = api.call("GET", "/api/package-publishers", author, null).body();
      assertThat(publishers.path("items").get(0).path("source").asText())
          .isEqualTo("default-catalog");

      Api.Reply installed =
          api.call("POST", "/api/packages/golden-retry/install?version=1", author, Map.of());
      assertThat(installed.status()).as(installed.body().toString()).isEqualTo(200);
      JsonNode wf = api.call("GET", "/api/workflows/golden-retry/versions/1", author, null).body();
      assertThat(wf.path("status").asText()).isEqualTo("PUBLISHED");
      assertThat(wf.path("package").path("digest").asText()).isEqualTo(v.path("digest").asText());
      // Installing again is a no-op, not a conflict.
      assertThat(api.call("POST", "/api/packages/golden-retry/install", author, Map.of()).status())
          .isEqualTo(200);
      assertThat(api.call("POST", "/api/packages/golden-nope/install", author, Map.of()).code())
          .isEqualTo("package_not_found");
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
