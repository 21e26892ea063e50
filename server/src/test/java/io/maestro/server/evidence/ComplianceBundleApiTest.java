package io.maestro.server.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.evidence.bundle.BundleFormat;
import io.maestro.evidence.bundle.Explainer;
import io.maestro.evidence.verify.BundleFiles;
import io.maestro.evidence.verify.BundleReport;
import io.maestro.evidence.verify.BundleVerifier;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/compliance/bundle} on the real server: a tenant's window bundles to the same
 * bytes twice, verifies offline, names a changed file, explains a run and an actor from the bundle
 * alone, never holds another tenant's records, refuses a bad window with a problem and is a
 * receipt.
 */
class ComplianceBundleApiTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String admin;
  static String viewer;
  static String otherAdmin;
  static String runId;
  static Instant from;
  static Instant to;
  static int missingStatus;
  static final String MISSING_RUN = "00000000000070008000000000000000";

  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: audited, version: "1"}
      spec:
        tasks:
          - {id: hi, uses: core/log, with: {message: "hello auditor"}}
      """;

  @BeforeAll
  static void activity() throws Exception {
    server = TestServers.start(dir);
    api = new Api(server.port());
    from = Instant.now().minusSeconds(1);
    String root = api.token(null, "root@platform", "conductor_admin");
    for (String t : List.of("acme", "zenith")) {
      Api.Reply created =
          api.call("POST", "/api/tenants", root, Map.of("id", t, "name", t.toUpperCase()));
      assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    }
    admin = api.token("acme", "ada@acme", "tenant_admin");
    viewer = api.token("acme", "vic@acme", "read_only");
    otherAdmin = api.token("zenith", "zed@zenith", "tenant_admin");
    assertThat(api.call("PATCH", "/api/tenants/acme", admin, Map.of("name", "Acme Corp")).status())
        .isEqualTo(200);
    assertThat(
            api.call("PATCH", "/api/tenants/zenith", otherAdmin, Map.of("name", "ZenithSecret"))
                .status())
        .isEqualTo(200);
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri("/api/workflows/audited/versions/1"))
                    .header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(MANIFEST))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(api.call("POST", "/api/workflows/audited/versions/1/publish", admin, null).status())
        .isEqualTo(200);
    Api.Reply started = api.call("POST", "/api/runs", admin, Map.of("workflow", "audited"));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    runId = started.body().path("id").asText();
    for (int i = 0; i < 200; i++) {
      if (api.call("GET", "/api/runs/" + runId, admin, null)
          .body()
          .path("status")
          .asText()
          .equals("SUCCEEDED")) {
        break;
      }
      Thread.sleep(50);
    }
    missingStatus = api.call("GET", "/api/runs/" + MISSING_RUN, admin, null).status();
    // A refused request: a read-only member may not export.
    assertThat(get(window(from, Instant.now().plusSeconds(60)), viewer).statusCode())
        .isEqualTo(403);
    Thread.sleep(20);
    to = Instant.now();
    Thread.sleep(20);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  static String window(Instant f, Instant t) {
    return "/api/compliance/bundle?from="
        + URLEncoder.encode(f.toString(), StandardCharsets.UTF_8)
        + "&to="
        + URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
  }

  static HttpResponse<byte[]> get(String path, String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  static TrustedKeys keys() {
    return TrustedKeys.fromJwks(api.call("GET", "/.well-known/maestro/keys", null, null).body());
  }

  static byte[] bundle() throws Exception {
    HttpResponse<byte[]> r = get(window(from, to), admin);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    return r.body();
  }

  @Test
  void aWindowBundlesToTheSameBytesTwice_andVerifiesOffline() throws Exception {
    HttpResponse<byte[]> first = get(window(from, to), admin);
    assertThat(first.statusCode()).as(new String(first.body())).isEqualTo(200);
    HttpResponse<byte[]> second = get(window(from, to), admin);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(first.headers().firstValue("X-Maestro-SHA256").orElseThrow())
        .isEqualTo(io.maestro.provenance.Hash.sha256(first.body()).hex());

    BundleReport report = BundleVerifier.verify(new ByteArrayInputStream(first.body()), keys());
    assertThat(report.failures()).isEmpty();
    assertThat(report.tenant()).isEqualTo("acme");
    assertThat(report.receipts()).isGreaterThan(3);

    // The export is a receipt in the tenant's log, with the bundle's digest.
    String receiptId = first.headers().firstValue("X-Maestro-Receipt-Id").orElseThrow();
    Api.Reply receipt = api.call("GET", "/api/receipts/" + receiptId, admin, null);
    assertThat(receipt.status()).isEqualTo(200);
    assertThat(receipt.body().path("receipt").path("type").asText()).isEqualTo("evidence.exported");
    assertThat(receipt.body().path("receipt").path("payload").path("sha256").asText())
        .isEqualTo(first.headers().firstValue("X-Maestro-SHA256").orElseThrow());
  }

  @Test
  void theBundleHoldsTheAccessLogAdminDiffsAndDecisions_andExplainsARunAndAnActor()
      throws Exception {
    Map<String, byte[]> files = BundleFiles.read(new ByteArrayInputStream(bundle())).files();
    String access = new String(files.get(BundleFormat.ACCESS_LOG), StandardCharsets.UTF_8);
    List<JsonNode> lines = access.lines().map(l -> (JsonNode) parse(l)).toList();
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("actor").asText()).isEqualTo("ada@acme");
              assertThat(l.path("action").asText()).isEqualTo("workflow.run");
              assertThat(l.path("result").asText()).isEqualTo("allowed");
              assertThat(l.path("status").asInt()).isEqualTo(202);
              assertThat(l.path("receipts")).isNotEmpty();
            });
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("actor").asText()).isEqualTo("vic@acme");
              assertThat(l.path("result").asText()).isEqualTo("denied");
              assertThat(l.path("status").asInt()).isEqualTo(403);
              assertThat(l.path("reasons")).isNotEmpty();
            });
    // Every request the gate decided has its answer; no header or token is in the log.
    assertThat(lines)
        .filteredOn(l -> !l.path("route").isNull() && !l.path("route").isMissingNode())
        .filteredOn(l -> l.path("action").asText().equals("tenant.update"))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l.path("status").asInt()).isEqualTo(200));
    assertThat(access).doesNotContain("Bearer").doesNotContain(admin);
    // A request for a run that does not exist: the log has the answer the client got.
    assertThat(missingStatus).isEqualTo(404);
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("route").asText()).isEqualTo("/api/runs/{id}");
              assertThat(l.path("resource").asText()).endsWith(MISSING_RUN);
              assertThat(l.path("status").asInt()).isEqualTo(404);
            });
    String admin = new String(files.get(BundleFormat.ADMIN_CHANGES), StandardCharsets.UTF_8);
    assertThat(admin).contains("config.changed").contains("\"Acme Corp\"");
    assertThat(new String(files.get(BundleFormat.POLICY_BUNDLES), StandardCharsets.UTF_8))
        .contains("revision");
    assertThat(files.keySet()).anyMatch(f -> f.startsWith(BundleFormat.DECISIONS));
    assertThat(files).containsKey(BundleFormat.TENANT_CHECKPOINT);

    List<String> run = Explainer.explain(files, new Explainer.Query.Subject("run:" + runId));
    assertThat(String.join("\n", run))
        .contains("ada@acme")
        .contains("run.started")
        .contains("allowed by decision");
    List<String> actor = Explainer.explain(files, new Explainer.Query.Actor("ada@acme"));
    assertThat(String.join("\n", actor))
        .contains("result: allowed, HTTP 202")
        .contains("config.changed")
        .contains("changed /name: \"ACME\" -> \"Acme Corp\"");
    assertThat(Explainer.explain(files, new Explainer.Query.Actor("nobody@acme"))).isEmpty();
  }

  @Test
  void anotherTenantsRecordsNeverAppear() throws Exception {
    byte[] tgz = bundle();
    Map<String, byte[]> files = BundleFiles.read(new ByteArrayInputStream(tgz)).files();
    for (var f : files.entrySet()) {
      String text = new String(f.getValue(), StandardCharsets.UTF_8);
      assertThat(text).as(f.getKey()).doesNotContain("zenith").doesNotContain("ZenithSecret");
    }
    HttpResponse<byte[]> theirs = get(window(from, to), otherAdmin);
    assertThat(theirs.statusCode()).isEqualTo(200);
    Map<String, byte[]> other = BundleFiles.read(new ByteArrayInputStream(theirs.body())).files();
    for (var f : other.entrySet()) {
      assertThat(new String(f.getValue(), StandardCharsets.UTF_8))
          .as(f.getKey())
          .doesNotContain("ada@acme")
          .doesNotContain(runId);
    }
  }

  @Test
  void oneChangedByte_isNamedByTheVerifier() throws Exception {
    Map<String, byte[]> files = BundleFiles.read(new ByteArrayInputStream(bundle())).files();
    byte[] changed = files.get(BundleFormat.ADMIN_CHANGES).clone();
    changed[changed.length / 2] ^= 1;
    files.put(BundleFormat.ADMIN_CHANGES, changed);
    BundleReport r = BundleVerifier.verify(new ByteArrayInputStream(tar(files)), keys());
    assertThat(r.failures())
        .containsExactly(
            BundleFormat.ADMIN_CHANGES
                + ": changed (its SHA-256 differs from the signed statement)");

    files = BundleFiles.read(new ByteArrayInputStream(bundle())).files();
    files.put("extra.txt", "x".getBytes(StandardCharsets.UTF_8));
    files.remove(BundleFormat.INDEX);
    r = BundleVerifier.verify(new ByteArrayInputStream(tar(files)), keys());
    assertThat(r.failures())
        .contains(
            "extra.txt: added (not in the signed statement)",
            BundleFormat.INDEX + ": listed in the signed statement but missing from the bundle");
  }

  @Test
  void aBadWindowIsAProblem_andAReadOnlyMemberIsRefused() throws Exception {
    for (String q :
        List.of(
            window(to, from),
            "/api/compliance/bundle?from=yesterday&to=" + to,
            "/api/compliance/bundle?to=" + to)) {
      Api.Reply r = api.call("GET", q, admin, null);
      assertThat(r.status()).as(q).isEqualTo(422);
      assertThat(r.code()).as(q).isEqualTo("evidence_window_invalid");
    }
    Api.Reply refused = api.call("GET", window(from, to), viewer, null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("policy_denied");
  }

  static JsonNode parse(String line) {
    try {
      return Json.MAPPER.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static byte[] tar(Map<String, byte[]> files) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (var f : files.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(f.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
