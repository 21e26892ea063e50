package io.maestro.server.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.evidence.compliance.CompliancePackFormat;
import io.maestro.evidence.verify.BundleFiles;
import io.maestro.evidence.verify.CompliancePackReport;
import io.maestro.evidence.verify.CompliancePackVerifier;
import io.maestro.provenance.Hash;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/compliance/pack} on the real server, its sources read through the real modules:
 * the same instant packs to the same bytes, verifies offline with the served keys, carries the
 * active signed policy bundle with the build's profile lock, the configured release's SBOM and
 * attestation, a recorded chaos drill with its proof and the kept isolation report; one changed
 * byte is named; a bad instant is a problem and a read-only member is refused.
 */
class CompliancePackApiTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String admin;
  static String viewer;
  static Instant at;

  @BeforeAll
  static void start() throws Exception {
    Path data = dir.resolve("data");
    Path release = dir.resolve("release");
    Files.createDirectories(release.resolve("sbom"));
    Files.createDirectories(release.resolve("attestations"));
    Files.writeString(
        release.resolve("sbom/maestro-server.cdx.json"),
        "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[]}");
    Files.writeString(release.resolve("attestations/sbom.dsse.json"), "{\"payload\":\"\"}");
    Files.createDirectories(data.resolve("evidence/reports"));
    Files.writeString(
        data.resolve("evidence/reports/isolation.md"), "# Tenant isolation report\n\nLeaks: 0\n");
    server =
        MaestroServer.start(
            TestServers.config(
                data, Map.of("chaos.enabled", "true", "evidence.releaseDir", release.toString())));
    api = new Api(server.port());
    String root = api.token(null, "root@platform", "conductor_admin");
    assertThat(
            api.call("POST", "/api/tenants", root, Map.of("id", "acme", "name", "Acme")).status())
        .isEqualTo(201);
    admin = api.token("acme", "ada@acme", "tenant_admin");
    viewer = api.token("acme", "vic@acme", "read_only");
    Api.Reply drill =
        api.call(
            "POST",
            "/api/chaos/drills",
            root,
            Map.of("scenario", "pdp-outage", "passed", true, "recovery_seconds", 0.02));
    assertThat(drill.status()).as(drill.body().toString()).isEqualTo(201);
    Thread.sleep(1100);
    at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<byte[]> get(String query, String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + server.port() + "/api/compliance/pack" + query))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  static String asOf(Instant t) {
    return "?at=" + URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
  }

  static TrustedKeys keys() {
    return TrustedKeys.fromJwks(api.call("GET", "/.well-known/maestro/keys", null, null).body());
  }

  static JsonNode section(Map<String, byte[]> files, String id) throws Exception {
    for (JsonNode s :
        Json.MAPPER.readTree(files.get(CompliancePackFormat.INDEX)).path("sections")) {
      if (s.path("id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no section " + id);
  }

  @Test
  void packedTwice_sameSha256_verifiesOffline_andCarriesEverySection() throws Exception {
    HttpResponse<byte[]> first = get(asOf(at), admin);
    assertThat(first.statusCode()).as(new String(first.body())).isEqualTo(200);
    HttpResponse<byte[]> second = get(asOf(at), admin);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(first.headers().firstValue("X-Maestro-SHA256"))
        .hasValue(Hash.sha256(first.body()).hex());
    assertThat(first.headers().firstValue("X-Maestro-Pack-At")).hasValue(at.toString());

    BundleFiles files = BundleFiles.read(new ByteArrayInputStream(first.body()));
    CompliancePackReport r = CompliancePackVerifier.verify(files, keys());
    assertThat(r.failures()).isEmpty();
    assertThat(r.tag()).isEqualTo("Conductor Compliance");
    assertThat(r.drills()).isEqualTo(1);

    Map<String, byte[]> f = files.files();
    for (String id :
        new String[] {
          CompliancePackFormat.POLICY,
          CompliancePackFormat.SBOM,
          CompliancePackFormat.SLO,
          CompliancePackFormat.DRILL_REPORTS,
          CompliancePackFormat.ISOLATION
        }) {
      assertThat(section(f, id).path("status").asText()).as(id).isEqualTo("included");
    }
    assertThat(section(f, CompliancePackFormat.INCIDENT_TIMELINES).path("status").asText())
        .isEqualTo("none");
    // The policy in force: the canon bundle, its key, and the lock the build shipped.
    assertThat(new String(f.get(CompliancePackFormat.POLICY_FACTS), StandardCharsets.UTF_8))
        .contains("\"signed_by\" : \"maestro-canon-build\"");
    assertThat(f).containsKeys(CompliancePackFormat.POLICY_BUNDLE, CompliancePackFormat.POLICY_KEY);
    assertThat(new String(f.get(CompliancePackFormat.PROFILE_LOCK), StandardCharsets.UTF_8))
        .isEqualTo(
            Files.readString(
                Path.of(System.getProperty("maestro.root", ".."), "policies", "profiles.lock")));
    assertThat(new String(f.get(CompliancePackFormat.TENANT_PROFILE), StandardCharsets.UTF_8))
        .contains("\"tenant\" : \"acme\"");
    assertThat(f)
        .containsKeys(
            "release/sbom/maestro-server.cdx.json", "release/attestations/sbom.dsse.json");
    assertThat(new String(f.get(CompliancePackFormat.SLO_REPORT), StandardCharsets.UTF_8))
        .contains("\"evaluatedAt\" : \"" + at + "\"");
    assertThat(new String(f.get(CompliancePackFormat.ISOLATION_REPORT), StandardCharsets.UTF_8))
        .contains("Leaks: 0");

    // The export is a receipt in the tenant's log, with the pack's digest.
    String receiptId = first.headers().firstValue("X-Maestro-Receipt-Id").orElseThrow();
    JsonNode receipt = api.call("GET", "/api/receipts/" + receiptId, admin, null).body();
    assertThat(receipt.path("receipt").path("payload").path("kind").asText())
        .isEqualTo("compliance_pack");
    assertThat(receipt.path("receipt").path("payload").path("sha256").asText())
        .isEqualTo(Hash.sha256(first.body()).hex());
  }

  @Test
  void oneChangedByte_isNamed() throws Exception {
    HttpResponse<byte[]> ok = get(asOf(at), admin);
    Map<String, byte[]> files = BundleFiles.read(new ByteArrayInputStream(ok.body())).files();
    byte[] changed = files.get(CompliancePackFormat.ISOLATION_REPORT).clone();
    changed[changed.length - 2] ^= 1;
    files.put(CompliancePackFormat.ISOLATION_REPORT, changed);
    CompliancePackReport r =
        CompliancePackVerifier.verify(
            BundleFiles.read(new ByteArrayInputStream(ComplianceBundleApiTest.tar(files))), keys());
    assertThat(r.failures())
        .containsExactly(
            CompliancePackFormat.ISOLATION_REPORT
                + ": changed (its SHA-256 differs from the signed statement)");
  }

  @Test
  void withoutAnInstant_itIsNow_aBadOneIsAProblem_andReadOnlyIsRefused() throws Exception {
    HttpResponse<byte[]> now = get("", admin);
    assertThat(now.statusCode()).as(new String(now.body())).isEqualTo(200);
    assertThat(Instant.parse(now.headers().firstValue("X-Maestro-Pack-At").orElseThrow()))
        .isAfterOrEqualTo(at);

    for (String bad : new String[] {asOf(Instant.now().plusSeconds(3600)), "?at=yesterday"}) {
      HttpResponse<byte[]> r = get(bad, admin);
      assertThat(r.statusCode()).isEqualTo(422);
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .contains("evidence_pack_time_invalid");
    }
    HttpResponse<byte[]> refused = get(asOf(at), viewer);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("decision_id");
  }
}
