package io.maestro.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.core.Decision;
import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleException;
import io.maestro.policy.bundle.BundleSigner;
import io.maestro.policy.bundle.BundleVerificationException;
import io.maestro.policy.bundle.BundleVerifier;
import io.maestro.policy.bundle.Keys;
import io.maestro.policy.bundle.Manifest;
import io.maestro.policy.bundle.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The decision point around the engine, on small policies that use only the core language, so these
 * tests do not depend on the canon packs.
 */
class DecisionPointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
  private static final Keys.SigningKey KEY = Keys.generate(SignatureAlgorithm.EdDSA);

  static final String AUTHZ =
      """
      package maestro.authz

      default allow := false

      allow if input.actor.roles[_] == "operator"

      reasons contains {"code": "role_not_permitted", "message": "no"} if not allow

      reasons contains {"code": "profile_seen", "message": input.tenant.profile} if input.echo

      decision := {"allow": allow, "reasons": [r | some r in reasons], "obligations": [{"type": "audit"} | allow]}
      """;

  static final String MASK =
      """
      package maestro.log

      mask contains "/input/request/parameters" if input.input.request.parameters
      """;

  static Bundle bundle(String revision, Map<String, String> modules) {
    Map<String, byte[]> files = new TreeMap<>();
    modules.forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return BundleSigner.sign(
        Bundle.of("test", files, Manifest.of(revision, List.of("maestro"))),
        KEY,
        BundleSigner.Options.keyId("k1"));
  }

  static BundleVerifier.Config trust() {
    return BundleVerifier.Config.of(
        "k1", BundleVerifier.TrustedKey.of(KEY.publicKey().orElseThrow()));
  }

  static DecisionPoint pdp(Bundle b, DecisionLog log) {
    return DecisionPoint.start(
        PdpSettings.defaults().withTrust(trust()), b, trust(), CLOCK, new SplittableRandom(7), log);
  }

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void decide_allowsAndCarriesIdRevisionDigestAndPath() {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);

    Decision d = pdp.decide(json("{\"actor\": {\"roles\": [\"operator\"]}}"));

    assertThat(d.allow()).isTrue();
    assertThat(d.reasons()).isEmpty();
    assertThat(d.obligations()).hasSize(1);
    assertThat(d.obligations().get(0).path("type").asText()).isEqualTo("audit");
    assertThat(d.id()).startsWith("dec_");
    assertThat(d.bundleRevision()).isEqualTo("r1");
    assertThat(d.inputDigest()).startsWith("sha256:").hasSize(71);
    assertThat(d.path()).isEqualTo("maestro/authz/decision");
    assertThat(d.time()).isEqualTo(CLOCK.instant());
  }

  @Test
  void decide_deniesWithReasonsAndNoObligations() {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);

    Decision d = pdp.decide(json("{\"actor\": {\"roles\": [\"read_only\"]}}"));

    assertThat(d.allow()).isFalse();
    assertThat(d.reasons()).containsExactly(new Decision.Reason("role_not_permitted", "no"));
    assertThat(d.obligations()).isEmpty();
    assertThat(d.failedClosed()).isFalse();
  }

  @Test
  void injectedFaults_failClosedWhileTheyLast_andLatencyUnderTheDeadlineStillDecides() {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);
    JsonNode operator = json("{\"actor\": {\"roles\": [\"operator\"]}}");
    Instant later = CLOCK.instant().plusSeconds(5);

    pdp.inject(PdpFault.outage(later));
    Decision out = pdp.decide(operator);
    assertThat(out.failedClosed()).isTrue();
    assertThat(out.reasons().get(0).message()).contains("out");
    assertThat(pdp.fault()).isPresent();

    // Later than the deadline (50 ms by default): no decision.
    pdp.inject(PdpFault.latency(Duration.ofMillis(120), later));
    long start = System.nanoTime();
    Decision slow = pdp.decide(operator);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(120_000_000L);
    assertThat(slow.failedClosed()).isTrue();
    assertThat(slow.reasons().get(0).message()).contains("deadline");

    // Slower, but within the deadline: decided as usual.
    pdp.inject(PdpFault.latency(Duration.ofMillis(10), later));
    assertThat(pdp.decide(operator).allow()).isTrue();

    // A fault whose time has passed is no fault.
    pdp.inject(PdpFault.outage(CLOCK.instant()));
    assertThat(pdp.fault()).isEmpty();
    assertThat(pdp.decide(operator).allow()).isTrue();
    pdp.inject(null);
    assertThat(pdp.decide(operator).allow()).isTrue();
  }

  @Test
  void decide_fillsDefaultProfileAndGovernanceProfile() {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);

    Decision d = pdp.decide(json("{\"echo\": true, \"actor\": {\"roles\": []}}"));
    Decision own = pdp.decide(json("{\"echo\": true, \"tenant\": {\"profile\": \"regulated\"}}"));

    assertThat(d.reasons()).contains(new Decision.Reason("profile_seen", "internal-default"));
    assertThat(own.reasons()).contains(new Decision.Reason("profile_seen", "regulated"));
  }

  @Test
  void inputDigest_ignoresKeyOrderButNotValues() {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);
    String a = pdp.decide(json("{\"a\": 1, \"b\": {\"x\": [1, 2], \"y\": \"z\"}}")).inputDigest();
    String b = pdp.decide(json("{\"b\": {\"y\": \"z\", \"x\": [1, 2]}, \"a\": 1}")).inputDigest();
    String c = pdp.decide(json("{\"b\": {\"y\": \"z\", \"x\": [2, 1]}, \"a\": 1}")).inputDigest();
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }

  /**
   * The input digest is the SHA-256 of the input's RFC 8785 form, like every other digest of JSON:
   * numbers are compared as values in ECMAScript's shortest form (100.0 and 1e2 are 100), which the
   * earlier "sorted keys, Jackson's number text" form wrote differently.
   */
  @Test
  void inputDigest_usesRfc8785NumberForm() {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);
    String integer = pdp.decide(json("{\"n\": 100}")).inputDigest();
    String decimal = pdp.decide(json("{\"n\": 100.0}")).inputDigest();
    String exponent = pdp.decide(json("{\"n\": 1e2}")).inputDigest();
    String other = pdp.decide(json("{\"n\": 100.5}")).inputDigest();
    assertThat(integer).isEqualTo(decimal).isEqualTo(exponent).isNotEqualTo(other);
  }

  @Test
  void concurrentDecisions_getDistinctIds() throws Exception {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);
    JsonNode input = json("{\"actor\": {\"roles\": [\"operator\"]}}");
    java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      for (int t = 0; t < 4; t++) {
        pool.submit(
            () -> {
              for (int i = 0; i < 500; i++) {
                ids.add(pdp.decide(input).id());
              }
            });
      }
    }
    assertThat(ids).hasSize(2000);
  }

  @Test
  void undefinedDecision_failsClosed() {
    DecisionPoint pdp =
        pdp(
            bundle("r1", Map.of("authz.rego", "package maestro.authz\n\nx := 1\n")),
            DecisionLog.NONE);

    Decision d = pdp.decide(json("{}"));

    assertThat(d.allow()).isFalse();
    assertThat(d.failedClosed()).isTrue();
    assertThat(d.reasons().get(0).message()).contains("undefined");
    assertThat(d.bundleRevision()).isEqualTo("r1");
  }

  @Test
  void evaluationError_failsClosed() {
    String conflict =
        """
        package maestro.authz

        decision := {"allow": true, "reasons": [], "obligations": []} if input.a
        decision := {"allow": false, "reasons": [], "obligations": []} if input.b
        """;
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", conflict)), DecisionLog.NONE);

    Decision d = pdp.decide(json("{\"a\": true, \"b\": true}"));

    assertThat(d.failedClosed()).isTrue();
    assertThat(d.reasons().get(0).message()).contains("evaluation failed");
  }

  @Test
  void malformedDecision_failsClosed() {
    DecisionPoint pdp =
        pdp(
            bundle("r1", Map.of("authz.rego", "package maestro.authz\n\ndecision := \"yes\"\n")),
            DecisionLog.NONE);
    assertThat(pdp.decide(json("{}")).failedClosed()).isTrue();
  }

  @Test
  void deadline_failsClosed() {
    String slow =
        """
        package maestro.authz

        decision := {"allow": n > 0, "reasons": [], "obligations": []} if {
          n := count([1 | some a in input.xs; some b in input.xs; some c in input.xs])
        }
        """;
    StringBuilder xs = new StringBuilder("{\"xs\": [0");
    for (int i = 1; i < 2000; i++) {
      xs.append(',').append(i);
    }
    DecisionPoint pdp =
        DecisionPoint.start(
            PdpSettings.defaults().withDeadline(Duration.ofMillis(1)),
            bundle("r1", Map.of("authz.rego", slow)),
            trust(),
            CLOCK,
            new SplittableRandom(1),
            DecisionLog.NONE);

    Decision d = pdp.decide(json(xs.append("]}").toString()));

    assertThat(d.failedClosed()).isTrue();
    assertThat(d.reasons().get(0).message()).contains("deadline");
  }

  @Test
  void start_refusesABundleWithABadSignature() {
    Bundle good = bundle("r1", Map.of("authz.rego", AUTHZ));
    Map<String, byte[]> files = new TreeMap<>();
    good.paths().forEach(p -> files.put(p, good.file(p).orElseThrow()));
    files.put(
        "authz.rego",
        "package maestro.authz\n\ndecision := {\"allow\": true}\n"
            .getBytes(StandardCharsets.UTF_8));
    Bundle forged = new Bundle("forged", files, good.signatures());

    assertThatThrownBy(() -> pdp(forged, DecisionLog.NONE))
        .isInstanceOf(BundleVerificationException.class)
        .hasMessage(
            "forged: authz.rego: digest mismatch (signed " + "%s, got %s)",
            hashOf(good, "authz.rego"),
            io.maestro.policy.bundle.FileHasher.hash(
                "authz.rego",
                files.get("authz.rego"),
                io.maestro.policy.bundle.HashAlgorithm.SHA256));
  }

  @Test
  void start_refusesAnUnsignedBundle() {
    Bundle unsigned = bundle("r1", Map.of("authz.rego", AUTHZ)).withoutSignatures();
    assertThatThrownBy(() -> pdp(unsigned, DecisionLog.NONE))
        .isInstanceOf(BundleVerificationException.class)
        .hasMessageContaining("no .signatures.json");
  }

  @Test
  void start_refusesABundleThatDoesNotCompile() {
    assertThatThrownBy(
            () ->
                pdp(
                    bundle("r1", Map.of("authz.rego", "package maestro.authz\n\nx := \n")),
                    DecisionLog.NONE))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("does not compile");
  }

  @Test
  void activate_swapsToANewSignedBundle() {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);
    String allowAll =
        "package maestro.authz\n\ndecision := {\"allow\": true, \"reasons\": [], \"obligations\": []}\n";

    pdp.activate(bundle("r2", Map.of("authz.rego", allowAll)));

    Decision d = pdp.decide(json("{}"));
    assertThat(d.allow()).isTrue();
    assertThat(d.bundleRevision()).isEqualTo("r2");
  }

  @Test
  void activate_keepsThePreviousBundleWhenTheNewOneFailsVerification() {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);
    Keys.SigningKey stranger = Keys.generate(SignatureAlgorithm.ES256);
    Map<String, byte[]> files = Map.of("authz.rego", AUTHZ.getBytes(StandardCharsets.UTF_8));
    Bundle foreign =
        BundleSigner.sign(
            Bundle.of("foreign", files, Manifest.of("r9", List.of("maestro"))),
            stranger,
            BundleSigner.Options.keyId("k1"));

    assertThatThrownBy(() -> pdp.activate(foreign)).isInstanceOf(BundleVerificationException.class);
    assertThat(pdp.active().revision()).isEqualTo("r1");
    assertThat(pdp.decide(json("{}")).bundleRevision()).isEqualTo("r1");
  }

  static Bundle bundleWithRoots(
      String name, String revision, List<String> roots, Map<String, String> modules) {
    Map<String, byte[]> files = new TreeMap<>();
    modules.forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return BundleSigner.sign(
        Bundle.of(name, files, Manifest.of(revision, roots)),
        KEY,
        BundleSigner.Options.keyId("k1"));
  }

  @Test
  void activate_loadsABundleWithOtherRootsBesideTheMainOne() {
    String uses =
        """
        package maestro.authz

        decision := {"allow": data.acme.rules.open, "reasons": [], "obligations": []}
        """;
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", uses)), DecisionLog.NONE);
    DecisionLog.InMemory log = new DecisionLog.InMemory(5);

    pdp.activate(
        bundleWithRoots(
            "acme",
            "a7",
            List.of("acme"),
            Map.of("acme/rules.rego", "package acme.rules\n\nopen := true\n")));

    assertThat(pdp.active().loaded())
        .extracting(ActiveBundle.Loaded::name)
        .containsExactly("test", "acme");
    assertThat(pdp.active().revisions())
        .containsExactly(Map.entry("test", "r1"), Map.entry("acme", "a7"));
    Decision d = pdp.decide(json("{}"));
    assertThat(d.allow()).isTrue();
    assertThat(d.bundleRevision()).isEqualTo("r1");
  }

  @Test
  void activate_refusesOverlappingRootsNamingBothBundles() {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);

    assertThatThrownBy(
            () ->
                pdp.activate(
                    bundleWithRoots("rogue", "x1", List.of("maestro/authz/extra"), Map.of())))
        .isInstanceOfSatisfying(
            BundleException.class,
            e -> assertThat(e.code().code()).isEqualTo("bundle_roots_overlap"))
        .hasMessageContaining("'test'")
        .hasMessageContaining("'rogue'");
    assertThat(pdp.active().loaded()).hasSize(1);
  }

  @Test
  void activate_replacesTheBundleWithTheSameRoots() {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);
    String allowAll =
        "package maestro.authz\n\ndecision := {\"allow\": true, \"reasons\": [], \"obligations\": []}\n";

    pdp.activate(
        bundleWithRoots("bundle.tar.gz", "r2", List.of("maestro"), Map.of("authz.rego", allowAll)));

    assertThat(pdp.active().loaded())
        .extracting(ActiveBundle.Loaded::name)
        .containsExactly("bundle.tar.gz");
    assertThat(pdp.decide(json("{}")).bundleRevision()).isEqualTo("r2");
  }

  @Test
  void remove_unloadsAnExtraBundleButNeverTheMainOne() {
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.NONE);
    pdp.activate(bundleWithRoots("acme", "a1", List.of("acme"), Map.of()));

    pdp.remove("acme");

    assertThat(pdp.active().loaded()).hasSize(1);
    assertThatThrownBy(() -> pdp.remove("test")).isInstanceOf(BundleException.class);
  }

  @Test
  void activate_needsConfiguredKeys() {
    DecisionPoint pdp =
        DecisionPoint.start(
            PdpSettings.defaults(),
            bundle("r1", Map.of("authz.rego", AUTHZ)),
            trust(),
            CLOCK,
            new SplittableRandom(1),
            DecisionLog.NONE);
    assertThatThrownBy(() -> pdp.activate(bundle("r2", Map.of("authz.rego", AUTHZ))))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("no bundle signing keys are configured");
  }

  @Test
  void decisionLog_recordsOpaFieldsWithMaskedInput() {
    DecisionLog.InMemory log = new DecisionLog.InMemory(10);
    DecisionPoint pdp = pdp(bundle("r1", Map.of("authz.rego", AUTHZ, "mask.rego", MASK)), log);

    Decision d =
        pdp.decide(
            json(
                "{\"actor\": {\"roles\": [\"operator\"]}, \"tenant\": {\"id\": \"acme\"},"
                    + " \"request\": {\"parameters\": {\"token\": \"s3cr3t\"}, \"region\": \"EU\"}}"));

    assertThat(log.entries()).hasSize(1);
    JsonNode e = log.entries().get(0).toJson();
    assertThat(e.path("decision_id").asText()).isEqualTo(d.id());
    assertThat(e.path("path").asText()).isEqualTo("maestro/authz/decision");
    assertThat(e.path("result").path("allow").asBoolean()).isTrue();
    assertThat(e.path("bundles").path("test").path("revision").asText()).isEqualTo("r1");
    assertThat(e.path("timestamp").asText()).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(e.path("metrics").has("timer_rego_query_eval_ns")).isTrue();
    assertThat(e.path("input").path("request").has("parameters")).isFalse();
    assertThat(e.path("input").path("request").path("region").asText()).isEqualTo("EU");
    assertThat(e.path("erased").get(0).asText()).isEqualTo("/input/request/parameters");
    assertThat(e.path("input_digest").asText()).isEqualTo(d.inputDigest());
    assertThat(e.path("tenant_id").asText()).isEqualTo("acme");
  }

  @Test
  void decisionLogAll_feedsEveryLogEvenWhenOneFails() {
    DecisionLog.InMemory a = new DecisionLog.InMemory(5);
    DecisionLog.InMemory b = new DecisionLog.InMemory(5);
    DecisionLog broken =
        entry -> {
          throw new IllegalStateException("down");
        };
    DecisionPoint pdp =
        pdp(bundle("r1", Map.of("authz.rego", AUTHZ)), DecisionLog.all(a, broken, b));

    pdp.decide(json("{}"));

    assertThat(a.entries()).hasSize(1);
    assertThat(b.entries()).hasSize(1);
    assertThat(pdp.logFailures()).isEqualTo(1);
  }

  @Test
  void trustFromPemFiles_verifiesBundlesSignedByThoseKeys(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path pem = dir.resolve("ops.pub.pem");
    java.nio.file.Files.writeString(pem, Keys.toPem(KEY.publicKey().orElseThrow()));
    BundleVerifier.Config cfg =
        BundleVerifier.Config.fromPemFiles(Map.of("k1", pem), java.util.Optional.empty());

    assertThat(BundleVerifier.verify(bundle("r1", Map.of("authz.rego", AUTHZ)), cfg).keyId())
        .isEqualTo("k1");
  }

  @Test
  void failingDecisionLog_doesNotChangeTheDecision() {
    DecisionPoint pdp =
        pdp(
            bundle("r1", Map.of("authz.rego", AUTHZ)),
            entry -> {
              throw new IllegalStateException("disk full");
            });
    assertThat(pdp.decide(json("{\"actor\": {\"roles\": [\"operator\"]}}")).allow()).isTrue();
    assertThat(pdp.logFailures()).isEqualTo(1);
  }

  private static String hashOf(Bundle b, String path) {
    return io.maestro.policy.bundle.FileHasher.hash(
        path, b.file(path).orElseThrow(), io.maestro.policy.bundle.HashAlgorithm.SHA256);
  }
}
