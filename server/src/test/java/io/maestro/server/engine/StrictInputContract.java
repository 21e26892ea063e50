package io.maestro.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.server.MaestroServer;
import io.maestro.server.auth.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input at the HTTP edge, on each database: NUL characters, duplicate keys, values of the
 * wrong type, YAML features a manifest does not use, bytes that are not UTF-8 and huge or cyclic
 * task graphs are refused with a 4xx problem that names the stable code, never a 5xx, and never
 * with database error text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StrictInputContract {
  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: strict, version: "1"}
      spec:
        tasks:
          - {id: hi, uses: core/noop}
      """;

  @TempDir static Path dir;
  MaestroServer server;
  Api api;
  String author;
  String operator;

  abstract MaestroServer startServer(Path dataDir);

  void cleanUp() {}

  @BeforeAll
  void start() throws Exception {
    server = startServer(dir);
    api = new Api(server.port());
    author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
    operator = api.token("acme", "olga@acme", "operator");
    assertThat(
            put("/api/workflows/strict/versions/1", MANIFEST.getBytes(StandardCharsets.UTF_8))
                .statusCode())
        .isEqualTo(201);
    assertThat(api.call("POST", "/api/workflows/strict/versions/1/publish", author, null).status())
        .isEqualTo(200);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    cleanUp();
  }

  HttpResponse<String> put(String path, byte[] body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + author)
                .header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  Api.Reply putManifest(String name, String text) throws Exception {
    HttpResponse<String> r =
        put("/api/workflows/" + name + "/versions/1", text.getBytes(StandardCharsets.UTF_8));
    return new Api.Reply(
        r.statusCode(), io.maestro.server.http.HttpJson.MAPPER.readTree(r.body()), r);
  }

  /** Regression: NUL in a run's fields was a 503 database_error echoing SQL text on PostgreSQL. */
  @Test
  void nulInRequestFields_is422OnEveryDatabase() {
    for (Map<String, Object> body :
        java.util.List.<Map<String, Object>>of(
            Map.of("workflow", "strict\u0000"),
            Map.of("workflow", "strict", "idempotencyKey", "k\u0000"),
            Map.of("workflow", "strict", "inputs", Map.of("x", "a\u0000b")),
            Map.of("workflow", "strict", "inputs", Map.of("x\u0000", "a")))) {
      Api.Reply r = api.call("POST", "/api/runs", operator, body);
      assertThat(r.status()).as(r.body().toString()).isEqualTo(422);
      assertThat(r.code()).isEqualTo("validation_failed");
      assertThat(r.body().path("detail").asText()).contains("NUL");
    }
    Api.Reply cancel = api.call("POST", "/api/runs/r%00x/cancel", operator, Map.of("reason", "x"));
    assertThat(cancel.status()).as(cancel.body().toString()).isEqualTo(422);
    Api.Reply reason =
        api.call("POST", "/api/runs/nope/cancel", operator, Map.of("reason", "stop\u0000now"));
    assertThat(reason.status()).isEqualTo(422);
  }

  /** Regression: a NUL in a manifest reached the database. */
  @Test
  void nulInAManifest_is422WithItsPosition() throws Exception {
    Api.Reply r =
        putManifest(
            "nul",
            "{\"name\":\"nul\",\"version\":\"1\",\"tasks\":[{\"id\":\"a\",\"uses\":\"core/noop\","
                + "\"with\":{\"x\":\"a\\u0000b\"}}]}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(422);
    assertThat(r.code()).isEqualTo("manifest_invalid");
    assertThat(r.body().toString()).contains("NUL").doesNotContain("SQL");
  }

  /** Regression: duplicate keys were accepted (last wins) and 5 was read as "5". */
  @Test
  void duplicateKeysAndWrongTypes_are422() {
    Api.Reply dup =
        api.call("POST", "/api/runs", operator, "{\"workflow\":\"nope\",\"workflow\":\"strict\"}");
    assertThat(dup.status()).as(dup.body().toString()).isEqualTo(422);
    assertThat(dup.code()).isEqualTo("validation_failed");
    assertThat(dup.body().path("detail").asText()).contains("Duplicate field 'workflow'");
    Api.Reply number = api.call("POST", "/api/runs", operator, "{\"workflow\": 5}");
    assertThat(number.status()).as(number.body().toString()).isEqualTo(422);
    assertThat(number.body().path("detail").asText()).contains("workflow must be a string");
    Api.Reply key =
        api.call("POST", "/api/runs", operator, "{\"workflow\":\"strict\",\"idempotencyKey\":7}");
    assertThat(key.status()).isEqualTo(422);
  }

  /** Regression: invalid UTF-8, a second document, aliases and unknown tags were accepted. */
  @Test
  void lenientYaml_is422WithLineAndColumn() throws Exception {
    byte[] bad = MANIFEST.replace("strict", "utf").getBytes(StandardCharsets.UTF_8);
    bad[bad.length - 5] = (byte) 0xFF;
    HttpResponse<String> utf = put("/api/workflows/utf/versions/1", bad);
    assertThat(utf.statusCode()).as(utf.body()).isEqualTo(422);
    assertThat(utf.body()).contains("not valid UTF-8").contains("\"line\":6");
    for (String yaml :
        java.util.List.of(
            MANIFEST.replace("strict", "two") + "---\nname: other\n",
            MANIFEST
                .replace("strict", "alias")
                .replace("{id: hi, uses: core/noop}", "{id: &a hi, uses: core/noop, name: *a}"),
            MANIFEST.replace("strict", "tag").replace("core/noop}", "!custom core/noop}"))) {
      Api.Reply r =
          putManifest(
              yaml.contains("two") ? "two" : yaml.contains("alias") ? "alias" : "tag", yaml);
      assertThat(r.status()).as(r.body().toString()).isEqualTo(422);
      assertThat(r.body().path("errors").get(0).has("line")).as(r.body().toString()).isTrue();
    }
  }

  /** Regression: sandbox limits far beyond any ceiling were granted. */
  @Test
  void sandboxLimitsOverTheCeilings_are422AtValidation() throws Exception {
    Api.Reply r =
        putManifest(
            "greedy",
            MANIFEST
                .replace("strict", "greedy")
                .replace(
                    "{id: hi, uses: core/noop}",
                    "{id: hi, uses: core/exec, with: {command: \"true\", memory: 8Gi,"
                        + " cpuSeconds: 3600, processes: 4096}}"));
    requireExec(r);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(422);
    assertThat(r.body().path("errors").size()).isEqualTo(3);
    assertThat(r.body().toString()).contains("more than the platform allows");
  }

  /** A tenant's own sandbox ceilings (its quotas) apply below the platform's. */
  @Test
  void sandboxLimitsOverTheTenantsCeilings_are422ForThatTenantOnly() throws Exception {
    String root = api.token(null, "root@platform", "conductor_admin");
    String globex = api.token("globex", "gina@globex", "workflow_author");
    Api.Reply patch =
        api.call(
            "PATCH",
            "/api/tenants/acme",
            root,
            Map.of("quotas", Map.of("sandbox", Map.of("max_memory_bytes", 256L << 20))));
    assertThat(patch.status()).as(patch.body().toString()).isEqualTo(200);
    assertThat(patch.body().path("quotas").path("sandbox").path("max_memory_bytes").asLong())
        .isEqualTo(256L << 20);
    String yaml =
        MANIFEST
            .replace("strict", "mid")
            .replace(
                "{id: hi, uses: core/noop}",
                "{id: hi, uses: core/exec, with: {command: \"true\", memory: 512Mi}}");
    Api.Reply acme = putManifest("mid", yaml);
    requireExec(acme);
    assertThat(acme.status()).as(acme.body().toString()).isEqualTo(422);
    assertThat(acme.body().toString()).contains("more than tenant acme allows");
    HttpResponse<String> other =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + server.port() + "/api/workflows/mid/versions/1"))
                    .header("Authorization", "Bearer " + globex)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(yaml))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).as(other.body()).isEqualTo(201);
  }

  /**
   * Skips the calling test with one line when this server cannot run {@code core/exec} (no
   * bubblewrap: the manifest is refused {@code task_type_unavailable} before its limits are
   * checked); under {@code CI=true}, which installs bubblewrap, fails instead.
   */
  private static void requireExec(Api.Reply r) {
    if (!r.body().toString().contains("task_type_unavailable")) {
      return;
    }
    String why = "core/exec is unavailable on this server (no bubblewrap)";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but " + why + ": " + r.body());
    }
    System.err.println("SKIPPED: sandbox limit checks, but " + why);
    org.junit.jupiter.api.Assumptions.abort(why);
  }

  /** Regression: a 5,000-task cycle was a 500 (StackOverflowError) after ~20 s. */
  @Test
  void hugeCyclicManifest_isA4xxProblemNotA500() throws Exception {
    StringBuilder json = new StringBuilder("{\"name\":\"cyc\",\"version\":\"1\",\"tasks\":[");
    for (int i = 0; i < 5000; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"id\":\"t")
          .append(i)
          .append("\",\"uses\":\"core/noop\",\"needs\":[\"t")
          .append((i + 1) % 5000)
          .append("\"]}");
    }
    Api.Reply r = putManifest("cyc", json.append("]}").toString());
    assertThat(r.status()).as(r.body().toString()).isEqualTo(422);
    assertThat(r.code()).isEqualTo("manifest_too_many_tasks");
  }
}
