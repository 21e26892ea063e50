package io.maestro.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void load_withNothingConfigured_usesDevModeAndEmbeddedDatabase() {
    MaestroConfig c = new ConfigLoader(Map.of(), dir).load(Optional.empty(), Map.of());
    assertThat(c.mode()).isEqualTo(Mode.DEV);
    assertThat(c.server().port()).isEqualTo(8080);
    assertThat(c.server().host()).isEqualTo("localhost");
    assertThat(c.database().url()).isEmpty();
    assertThat(c.dataDir()).isEqualTo(dir.resolve(".maestro"));
    assertThat(c.log().format()).isEqualTo(MaestroConfig.LogFormat.TEXT);
    assertThat(c.source()).isEmpty();
  }

  @Test
  void load_editionAndSku_selectTheEditionAndTheSkusProfile() {
    MaestroConfig.Policy p =
        new ConfigLoader(Map.of("MAESTRO_EDITION", "saas", "MAESTRO_SKU", "saas-standard"), dir)
            .load(Optional.empty(), Map.of())
            .policy();
    assertThat(p.edition()).isEqualTo("saas");
    assertThat(p.sku()).isEqualTo("saas-standard");
    assertThat(p.defaultProfile()).isEqualTo("hosted-saas");
  }

  @Test
  void load_withoutSku_keepsTheEditionsDefaultsAndNoGates() {
    MaestroConfig.Policy p =
        new ConfigLoader(Map.of(), dir).load(Optional.empty(), Map.of("edition", "saas")).policy();
    assertThat(p.edition()).isEqualTo("saas");
    assertThat(p.sku()).isEmpty();
    assertThat(p.defaultProfile()).isEqualTo("internal-default");
  }

  @Test
  void load_skuOfAnotherEdition_isAProblemNamingIt() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("MAESTRO_SKU", "saas-pro"), dir)
                    .load(Optional.empty(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sku: belongs to the saas edition, not internal")
        .hasMessageContaining("MAESTRO_SKU");
  }

  @Test
  void load_policyKeys_defaultsAndOverrides() throws IOException {
    MaestroConfig.Policy defaults =
        new ConfigLoader(Map.of(), dir).load(Optional.empty(), Map.of()).policy();
    assertThat(defaults.edition()).isEqualTo("internal");
    assertThat(defaults.defaultProfile()).isEqualTo("internal-default");
    assertThat(defaults.deadline()).isEqualTo(java.time.Duration.ofMillis(50));
    assertThat(defaults.bundlePath()).isEmpty();
    assertThat(defaults.bundleKeys()).isEmpty();
    assertThat(defaults.bundleScope()).isEmpty();
    assertThat(defaults.bundlePoll()).isEqualTo(java.time.Duration.ZERO);
    assertThat(defaults.decisionLog()).isEqualTo(MaestroConfig.DecisionLogMode.DATABASE);

    Files.writeString(
        dir.resolve("maestro.yaml"),
        "policy:\n  edition: saas\n  bundle:\n    path: ops/bundle.tar.gz\n"
            + "    keys: ops=keys/ops.pem, backup=/etc/k.pem\n    pollSeconds: 5\n");
    MaestroConfig.Policy set =
        new ConfigLoader(Map.of("MAESTRO_POLICY_DECISION_LOG", "memory"), dir)
            .load(Optional.empty(), Map.of("policy.defaultProfile", "hosted-saas"))
            .policy();
    assertThat(set.edition()).isEqualTo("saas");
    assertThat(set.defaultProfile()).isEqualTo("hosted-saas");
    assertThat(set.bundlePath()).contains(dir.resolve("ops/bundle.tar.gz"));
    assertThat(set.bundleKeys())
        .containsExactly(
            Map.entry("ops", dir.resolve("keys/ops.pem")),
            Map.entry("backup", Path.of("/etc/k.pem")));
    assertThat(set.bundlePoll()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(set.decisionLog()).isEqualTo(MaestroConfig.DecisionLogMode.MEMORY);
  }

  @Test
  void load_badPolicyKeys_areProblems() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of(), dir)
                    .load(
                        Optional.empty(),
                        Map.of(
                            "policy.edition", "enterprise",
                            "policy.deadlineMs", "0",
                            "policy.bundle.keys", "nokeyid",
                            "policy.decisionLog", "file")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(4)
                    .anySatisfy(p -> assertThat(p).startsWith("policy.edition: must be one of"))
                    .anySatisfy(p -> assertThat(p).startsWith("policy.deadlineMs: "))
                    .anySatisfy(p -> assertThat(p).startsWith("policy.bundle.keys: "))
                    .anySatisfy(p -> assertThat(p).startsWith("policy.decisionLog: ")));
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of(), dir)
                    .load(Optional.empty(), Map.of("policy.bundle.path", "b.tar.gz")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "policy.bundle.keys: must name the keys that sign policy.bundle.path"
                            + " (keyid=path/to/public.pem)"));
  }

  @Test
  void load_provenanceKeys_defaultsAndOverrides() throws IOException {
    MaestroConfig.Provenance defaults =
        new ConfigLoader(Map.of(), dir).load(Optional.empty(), Map.of()).provenance();
    assertThat(defaults.origin()).isEqualTo("maestro.local");
    assertThat(defaults.checkpointInterval()).isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(defaults.checkpointEveryReceipts()).isEqualTo(1000);

    Files.writeString(
        dir.resolve("maestro.yaml"),
        "provenance:\n  origin: maestro.example.com\n  checkpointIntervalMillis: 250\n");
    MaestroConfig.Provenance set =
        new ConfigLoader(Map.of("MAESTRO_PROVENANCE_CHECKPOINT_EVERY_RECEIPTS", "50"), dir)
            .load(Optional.empty(), Map.of())
            .provenance();
    assertThat(set.origin()).isEqualTo("maestro.example.com");
    assertThat(set.checkpointInterval()).isEqualTo(java.time.Duration.ofMillis(250));
    assertThat(set.checkpointEveryReceipts()).isEqualTo(50);
  }

  @Test
  void load_engineKeys_defaultsAndOverrides() throws IOException {
    MaestroConfig.Engine defaults =
        new ConfigLoader(Map.of(), dir).load(Optional.empty(), Map.of()).engine();
    assertThat(defaults.workers()).isEqualTo(64);
    assertThat(defaults.lease()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(defaults.poll()).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(defaults.httpAllowedHosts()).isEmpty();
    assertThat(defaults.httpMaxResponseBytes()).isEqualTo(256 * 1024);
    assertThat(defaults.logCapBytes()).isEqualTo(1 << 20);

    Files.writeString(
        dir.resolve("maestro.yaml"),
        "engine:\n  workers: 8\n  http:\n    allowedHosts: \"API.example.com, *.internal.example\"\n");
    MaestroConfig.Engine set =
        new ConfigLoader(Map.of("MAESTRO_ENGINE_LEASE_SECONDS", "5"), dir)
            .load(
                Optional.empty(),
                Map.of(
                    "engine.pollMillis", "250",
                    "engine.http.maxResponseBytes", "1024",
                    "engine.logCapBytes", "4096"))
            .engine();
    assertThat(set.workers()).isEqualTo(8);
    assertThat(set.lease()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(set.poll()).isEqualTo(java.time.Duration.ofMillis(250));
    assertThat(set.httpAllowedHosts()).containsExactly("api.example.com", "*.internal.example");
    assertThat(set.httpMaxResponseBytes()).isEqualTo(1024);
    assertThat(set.logCapBytes()).isEqualTo(4096);
  }

  @Test
  void load_badEngineKeys_areProblems() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of(), dir)
                    .load(
                        Optional.empty(),
                        Map.of(
                            "engine.workers", "0",
                            "engine.http.allowedHosts", "https://api.example.com/v1")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(2)
                    .anySatisfy(p -> assertThat(p).startsWith("engine.workers: "))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith("engine.http.allowedHosts: ")
                                .contains("no scheme")));
  }

  @Test
  void load_provenanceOriginWithASpace_isAProblem() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of(), dir)
                    .load(
                        Optional.empty(),
                        Map.of(
                            "provenance.origin",
                            "my maestro",
                            "provenance.checkpointEveryReceipts",
                            "0")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(2)
                    .anySatisfy(p -> assertThat(p).startsWith("provenance.origin: "))
                    .anySatisfy(
                        p -> assertThat(p).startsWith("provenance.checkpointEveryReceipts: ")));
  }

  @Test
  void load_fileThenEnvThenFlags_laterLayersWin() throws IOException {
    Files.writeString(
        dir.resolve("maestro.yaml"),
        "server:\n  port: 9000\n  host: 0.0.0.0\ndb:\n  poolSize: 3\n");
    MaestroConfig c =
        new ConfigLoader(Map.of("MAESTRO_SERVER_PORT", "9100", "MAESTRO_DB_POOL_SIZE", "4"), dir)
            .load(Optional.empty(), Map.of("server.port", "9200"));
    assertThat(c.server().port()).isEqualTo(9200);
    assertThat(c.server().host()).isEqualTo("0.0.0.0");
    assertThat(c.database().poolSize()).isEqualTo(4);
    assertThat(c.mode()).as("a config file means prod unless it says dev").isEqualTo(Mode.PROD);
    assertThat(c.log().format()).isEqualTo(MaestroConfig.LogFormat.JSON);
  }

  @Test
  void load_reportsEveryBadKeyWithItsSource() throws IOException {
    Files.writeString(dir.resolve("maestro.yaml"), "server:\n  prot: 1\nmode: staging\n");
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("MAESTRO_SERVER_PORT", "http"), dir)
                    .load(Optional.empty(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "server.prot: unknown configuration key (in maestro.yaml)",
                        "mode: must be one of dev, prod (got 'staging' from maestro.yaml)",
                        "server.port: must be an integer between 0 and 65535 (got 'http' from"
                            + " MAESTRO_SERVER_PORT)"));
  }

  @Test
  void load_neverEchoesSecretValues() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("MAESTRO_DB_URL", "mysql://x"), dir)
                    .load(Optional.empty(), Map.of()))
        .hasMessageContaining("db.url");
    MaestroConfig c =
        new ConfigLoader(Map.of("MAESTRO_DB_PASSWORD", "s3cret"), dir)
            .load(Optional.empty(), Map.of());
    assertThat(c.database().toString()).doesNotContain("s3cret");
  }

  @Test
  void load_missingExplicitFile_isAProblem() {
    assertThatThrownBy(
            () -> new ConfigLoader(Map.of(), dir).load(Optional.of(Path.of("nope.yaml")), Map.of()))
        .hasMessageContaining("nope.yaml does not exist");
  }

  @Test
  void envVar_derivesFromCamelCaseKey() {
    assertThat(ServerKeys.MAX_BODY_BYTES.envVar()).isEqualTo("MAESTRO_SERVER_MAX_BODY_BYTES");
    assertThat(ServerKeys.DATA_DIR.envVar()).isEqualTo("MAESTRO_DATA_DIR");
    assertThat(DatabaseKeys.URL.envVar()).isEqualTo("MAESTRO_DB_URL");
  }

  @Test
  void load_tracingKeys_offByDefault_andOverrides() {
    MaestroConfig.Tracing off =
        new ConfigLoader(Map.of(), dir).load(Optional.empty(), Map.of()).tracing();
    assertThat(off.enabled()).isFalse();
    assertThat(off.endpoint()).isEqualTo("http://localhost:4318/v1/traces");
    assertThat(off.sampleRatio()).isEqualTo(1.0);
    assertThat(off.serviceName()).isEqualTo("maestro");
    assertThat(off.headers()).isEmpty();

    MaestroConfig.Tracing on =
        new ConfigLoader(
                Map.of(
                    "MAESTRO_TRACING_ENABLED", "true",
                    "MAESTRO_TRACING_OTLP_HEADERS", "x-api-key=s3cret, x-team=ops"),
                dir)
            .load(
                Optional.empty(),
                Map.of(
                    "tracing.otlp.endpoint", "https://otel.example:4318/v1/traces",
                    "tracing.sampleRatio", "0.25",
                    "tracing.otlp.timeoutMillis", "2500"))
            .tracing();
    assertThat(on.enabled()).isTrue();
    assertThat(on.endpoint()).isEqualTo("https://otel.example:4318/v1/traces");
    assertThat(on.sampleRatio()).isEqualTo(0.25);
    assertThat(on.timeout()).isEqualTo(java.time.Duration.ofMillis(2500));
    assertThat(on.headers()).containsEntry("x-api-key", "s3cret").containsEntry("x-team", "ops");
    assertThat(on.toString()).doesNotContain("s3cret");
  }

  @Test
  void load_badTracingKeys_areProblems_withoutEchoingHeaders() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("MAESTRO_TRACING_OTLP_HEADERS", "=s3cret"), dir)
                    .load(
                        Optional.empty(),
                        Map.of(
                            "tracing.enabled", "yes",
                            "tracing.otlp.endpoint", "grpc://collector:4317",
                            "tracing.sampleRatio", "1.5")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems())
                  .hasSize(4)
                  .anySatisfy(p -> assertThat(p).startsWith("tracing.enabled: "))
                  .anySatisfy(p -> assertThat(p).startsWith("tracing.otlp.endpoint: "))
                  .anySatisfy(p -> assertThat(p).startsWith("tracing.sampleRatio: "))
                  .anySatisfy(p -> assertThat(p).startsWith("tracing.otlp.headers: "));
              assertThat(String.join("\n", e.problems())).doesNotContain("s3cret");
            });
  }

  @Test
  void load_releaseGate_fromFileEnvOrFlags_andTheEarlierKeysVariable() throws IOException {
    assertThat(
            new ConfigLoader(Map.of(), dir).load(Optional.empty(), Map.of()).release().verifyDir())
        .isEmpty();
    Files.writeString(
        dir.resolve("maestro.yaml"),
        "mode: dev\nrelease:\n  verify:\n    dir: rel\n    keys: keys.json\n");
    MaestroConfig.Release file =
        new ConfigLoader(Map.of(), dir)
            .load(Optional.of(dir.resolve("maestro.yaml")), Map.of())
            .release();
    assertThat(file.verifyDir()).contains(dir.resolve("rel"));
    assertThat(file.verifyKeys()).contains(dir.resolve("keys.json"));

    MaestroConfig.Release legacy =
        new ConfigLoader(
                Map.of("MAESTRO_RELEASE_VERIFY_DIR", "/opt/rel", "MAESTRO_RELEASE_KEYS", "/k.json"),
                dir)
            .load(Optional.empty(), Map.of())
            .release();
    assertThat(legacy.verifyDir()).contains(Path.of("/opt/rel"));
    assertThat(legacy.verifyKeys()).contains(Path.of("/k.json"));

    // The key's own variable wins over the earlier one, and a flag over both.
    Map<String, String> both =
        Map.of(
            "MAESTRO_RELEASE_VERIFY_DIR", "/opt/rel",
            "MAESTRO_RELEASE_KEYS", "/old.json",
            "MAESTRO_RELEASE_VERIFY_KEYS", "/new.json");
    assertThat(new ConfigLoader(both, dir).load(Optional.empty(), Map.of()).release().verifyKeys())
        .contains(Path.of("/new.json"));
    assertThat(
            new ConfigLoader(both, dir)
                .load(Optional.empty(), Map.of("release.verify.keys", "/flag.json"))
                .release()
                .verifyKeys())
        .contains(Path.of("/flag.json"));
  }

  @Test
  void load_releaseDirWithoutKeys_isAProblem() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("MAESTRO_RELEASE_VERIFY_DIR", "/opt/rel"), dir)
                    .load(Optional.empty(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "release.verify.keys: must name the release public keys (JWKS) for"
                            + " release.verify.dir (--release-keys)"));
  }
}
