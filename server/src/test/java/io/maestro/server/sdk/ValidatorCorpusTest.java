package io.maestro.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.server.http.HttpJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validator contract of the SDKs: every manifest of the shared corpus ({@code
 * sdks/contract/manifests}) is saved through the real server's {@code PUT
 * /api/workflows/{name}/versions/{version}}, which accepts it (201) or refuses it with {@code
 * manifest_invalid} and exactly the error paths the corpus file expects. The Go and Python SDKs'
 * tests check their validators against the same files.
 */
class ValidatorCorpusTest {
  static final Path CORPUS =
      Path.of(System.getProperty("user.dir")).getParent().resolve("sdks/contract/manifests");

  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String author;

  @BeforeAll
  static void start() {
    server = TestServers.start(dir);
    api = new Api(server.port());
    author = api.token("acme", "alice@acme", "workflow_author");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Path> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @Test
  void corpus_holdsValidAndInvalidManifests() throws IOException {
    List<Boolean> kinds = new ArrayList<>();
    for (Path p : corpus().toList()) {
      kinds.add(HttpJson.MAPPER.readTree(p.toFile()).path("valid").asBoolean());
    }
    assertThat(kinds).contains(true, false).hasSizeGreaterThanOrEqualTo(20);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void server_givesTheCorpusResult(Path file) throws Exception {
    JsonNode c = HttpJson.MAPPER.readTree(file.toFile());
    JsonNode manifest = c.path("manifest");
    boolean valid = c.path("valid").asBoolean();
    // A valid manifest is saved under its own name and version (the server refuses a mismatch).
    JsonNode md = manifest.has("metadata") ? manifest.path("metadata") : manifest;
    String name = valid ? md.path("name").asText() : "corpus";
    String version = valid ? md.path("version").asText() : "1";
    Api.Reply r =
        api.call(
            "PUT",
            "/api/workflows/" + name + "/versions/" + version,
            author,
            HttpJson.MAPPER.writeValueAsString(manifest));
    if (valid) {
      assertThat(r.status()).as(r.body().toString()).isIn(200, 201);
      return;
    }
    assertThat(r.status()).as(r.body().toString()).isEqualTo(422);
    assertThat(r.code()).isEqualTo("manifest_invalid");
    List<String> paths = new ArrayList<>();
    r.body().path("errors").forEach(e -> paths.add(e.path("path").asText()));
    List<String> expected = new ArrayList<>();
    c.path("errors").forEach(e -> expected.add(e.asText()));
    assertThat(paths).as(r.body().toString()).containsExactlyInAnyOrderElementsOf(expected);
  }
}
