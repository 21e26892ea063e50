package io.maestro.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.config.MaestroConfig;
import io.maestro.policy.CanonBundle;
import io.maestro.policy.DecisionLogEntry;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.DecisionRecords;
import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleIO;
import io.maestro.policy.bundle.BundleSigner;
import io.maestro.policy.bundle.Keys;
import io.maestro.policy.bundle.SignatureAlgorithm;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.store.TenantScope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's decision point as the {@code policy.*} keys configure it. */
class PolicyWiringTest {
  private static final Keys.SigningKey OPS_KEY = Keys.generate(SignatureAlgorithm.EdDSA);
  private static final String AUTHZ = "maestro/authz/authz.rego";

  /** An operator of acme runs a low-risk workflow in dev: the canon packs allow it. */
  private static final Map<String, Object> RUN_SCENARIO =
      Map.of(
          "name",
          "operator runs a low-risk workflow",
          "action",
          "workflow.run",
          "actor",
          Map.of("sub", "ops@acme", "roles", List.of("operator"), "tenant", "acme"),
          "tenant",
          Map.of("quota", Map.of("maxConcurrent", 25), "usage", Map.of("concurrentRuns", 1)),
          "resource",
          Map.of(
              "type",
              "workflow",
              "tenant",
              "acme",
              "attributes",
              Map.of("environment", "dev", "risk_profile", "low")));

  @TempDir Path dir;

  @Test
  void saasEditionAndAnotherDefaultProfile_governEveryDecision() {
    MaestroConfig config =
        TestServers.config(
            dir, Map.of("policy.edition", "saas", "policy.defaultProfile", "hosted-saas"));
    try (MaestroServer server = MaestroServer.start(config)) {
      Api api = new Api(server.port());
      String acme = api.token("acme", "admin@acme", "tenant_admin");
      JsonNode me = api.call("GET", "/api/whoami", acme, null).body();
      assertThat(me.path("profile").asText()).isEqualTo("hosted-saas");

      JsonNode sim =
          api.call("POST", "/api/policy/simulate", acme, Map.of("scenarios", List.of(RUN_SCENARIO)))
              .body();
      assertThat(sim.path("results").get(0).path("profile").asText()).isEqualTo("hosted-saas");
    }
    List<ObjectNode> logged = PolicyDecisionLogContract.decisions(config, "acme");
    assertThat(logged).isNotEmpty();
    assertThat(logged)
        .allSatisfy(
            d -> {
              assertThat(d.path("input").path("platform").path("edition").asText())
                  .isEqualTo("saas");
              assertThat(d.path("input").path("platform").path("profile").asText())
                  .isEqualTo("conductor-governance-saas");
            });
  }

  @Test
  void unknownDefaultProfile_stopsStartUpWithOneLine() {
    MaestroConfig config = TestServers.config(dir, Map.of("policy.defaultProfile", "gold"));
    assertThatThrownBy(() -> MaestroServer.start(config).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("policy.defaultProfile: no tenant profile named 'gold'")
        .hasMessageContaining("internal-default, partner-demo, regulated")
        .hasMessageNotContaining("\n");
  }

  @Test
  void tamperedCustomBundle_stopsStartUpWithOneLine() throws IOException {
    Bundle signed = signedCanon("ops-1", UnaryOperator.identity());
    Map<String, byte[]> files = files(signed);
    files.put(AUTHZ, edit(files.get(AUTHZ), s -> s + "\n# changed after signing\n"));
    Path bundle = dir.resolve("ops.tar.gz");
    BundleIO.writeTarGz(new Bundle(signed.name(), files, signed.signatures()), bundle);
    MaestroConfig config = TestServers.config(dir, bundleKeys(bundle, "0"));

    assertThatThrownBy(() -> MaestroServer.start(config).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("policy.bundle.path: " + bundle + " was not activated: ")
        .hasMessageContaining(AUTHZ)
        .hasMessageNotContaining("\n");
  }

  @Test
  void hotReload_ofANewlySignedBundle_changesADecisionWithoutRestart() throws Exception {
    Path bundle = dir.resolve("ops.tar.gz");
    publish(signedCanon("ops-1", UnaryOperator.identity()), bundle);
    try (MaestroServer server =
        MaestroServer.start(TestServers.config(dir, bundleKeys(bundle, "1")))) {
      Api api = new Api(server.port());
      String acme = api.token("acme", "admin@acme", "tenant_admin");
      JsonNode before = simulate(api, acme);
      assertThat(before.path("bundle_revision").asText()).isEqualTo("ops-1");
      assertThat(before.path("decision").path("allow").asBoolean()).isTrue();

      // ops-2 refuses every workflow run.
      publish(
          signedCanon(
              "ops-2",
              s ->
                  s.replace(
                      "\tcount(denials) == 0\n}",
                      "\tcount(denials) == 0\n\tinput.action != \"workflow.run\"\n}")),
          bundle);
      JsonNode after = before;
      for (int i = 0; i < 150 && after.path("bundle_revision").asText().equals("ops-1"); i++) {
        Thread.sleep(100);
        after = simulate(api, acme);
      }
      assertThat(after.path("bundle_revision").asText()).isEqualTo("ops-2");
      assertThat(after.path("decision").path("allow").asBoolean()).isFalse();

      // A bundle that does not verify is skipped; ops-2 keeps deciding.
      Bundle unsigned = signedCanon("ops-3", UnaryOperator.identity()).withoutSignatures();
      publish(unsigned, bundle);
      Thread.sleep(2500);
      assertThat(simulate(api, acme).path("bundle_revision").asText()).isEqualTo("ops-2");
    }
  }

  @Test
  void replay_skipsADecisionWhoseInputTheMaskRuleKeptOutOfTheLog() {
    try (MaestroServer server = TestServers.start(dir)) {
      Api api = new Api(server.port());
      String acme = api.token("acme", "admin@acme", "tenant_admin");
      Decision d =
          new Decision(
              "dec_masked",
              false,
              List.of(new Decision.Reason("role_not_permitted", "no")),
              List.of(),
              "canon",
              "sha256:00",
              DecisionPoint.DECISION_PATH,
              java.time.Instant.now().plusSeconds(60));
      server
          .database()
          .useTransaction(
              TenantScope.platform(),
              tx ->
                  DecisionRecords.insert(
                      tx,
                      new DecisionLogEntry(
                          d,
                          Optional.of("acme"),
                          Map.of(),
                          null,
                          List.of("/input"),
                          List.of(),
                          java.time.Duration.ZERO)));

      Api.Reply r = api.call("POST", "/api/policy/replay", acme, Map.of("profile", "partner-demo"));
      assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
      assertThat(r.body().path("skipped").toString()).contains("dec_masked");
      assertThat(r.body().path("changed").toString()).doesNotContain("dec_masked");
    }
  }

  private static JsonNode simulate(Api api, String token) {
    Api.Reply r =
        api.call("POST", "/api/policy/simulate", token, Map.of("scenarios", List.of(RUN_SCENARIO)));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r.body().path("results").get(0);
  }

  private Map<String, String> bundleKeys(Path bundle, String pollSeconds) throws IOException {
    Path pem = dir.resolve("ops.pub.pem");
    Files.writeString(pem, Keys.toPem(OPS_KEY.publicKey().orElseThrow()));
    return Map.of(
        "policy.bundle.path",
        bundle.toString(),
        "policy.bundle.keys",
        "ops=" + pem,
        "policy.bundle.pollSeconds",
        pollSeconds);
  }

  /** The canon packs as an operator's bundle: same roots, its own revision, signed with ops. */
  private static Bundle signedCanon(String revision, UnaryOperator<String> authz) {
    Bundle canon = CanonBundle.load().bundle();
    Map<String, byte[]> files = files(canon);
    files.put(AUTHZ, edit(files.get(AUTHZ), authz));
    Bundle unsigned = Bundle.of("ops.tar.gz", files, canon.manifest().withRevision(revision));
    return BundleSigner.sign(unsigned, OPS_KEY, BundleSigner.Options.keyId("ops"));
  }

  private static Map<String, byte[]> files(Bundle b) {
    Map<String, byte[]> files = new TreeMap<>();
    b.paths().forEach(p -> files.put(p, b.file(p).orElseThrow()));
    assertThat(files).containsKey(AUTHZ);
    return files;
  }

  private static byte[] edit(byte[] content, UnaryOperator<String> change) {
    String before = new String(content, StandardCharsets.UTF_8);
    String after = change.apply(before);
    return after.getBytes(StandardCharsets.UTF_8);
  }

  /** Replaces the watched file in one step, as a deployment would. */
  private void publish(Bundle b, Path target) throws IOException {
    Path tmp = dir.resolve("next.tar.gz");
    BundleIO.writeTarGz(b, tmp);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
