package io.maestro.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.http.Route;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/api/openapi.yaml is the SDKs' contract: it parses without a message from swagger-parser,
 * every operation declares its security ({@code security: []} exactly for the routes the server
 * serves without the policy gate) and at least one 4xx problem response, and its operations are the
 * routes the server serves.
 */
class OpenApiDocumentTest {
  static final Path DOC =
      Path.of(System.getProperty("user.dir")).getParent().resolve("docs/api/openapi.yaml");
  static final String PROBLEM = "#/components/responses/Problem";
  static final String SCIM_ERROR = "#/components/responses/ScimError";
  static final java.util.Set<String> METHODS =
      java.util.Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @TempDir static Path dir;
  static MaestroServer server;
  static OpenAPI api;
  static SwaggerParseResult parsed;

  @BeforeAll
  static void parse() throws Exception {
    ParseOptions options = new ParseOptions();
    options.setResolve(false);
    parsed = new OpenAPIV3Parser().readContents(Files.readString(DOC), null, options);
    api = parsed.getOpenAPI();
    server = TestServers.start(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Map<String, Operation> operations() {
    Map<String, Operation> out = new TreeMap<>();
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach((method, op) -> out.put(method.name() + " " + path, op)));
    return out;
  }

  @Test
  void document_parsesWithoutMessages() {
    assertThat(parsed.getMessages()).isEmpty();
    assertThat(api.getOpenapi()).startsWith("3.1");
  }

  @Test
  void everyOperation_declaresItsSecurity_publicExactlyWhereTheServerServesWithoutTheGate() {
    Map<String, Operation> ops = operations();
    List<String> problems = new ArrayList<>();
    for (Route r : server.routes()) {
      String key = r.method().text() + " " + r.path();
      Operation op = ops.get(key);
      if (op == null) {
        continue; // the route-set test in MaestroServerTest names it
      }
      List<SecurityRequirement> sec = op.getSecurity();
      if (sec == null) {
        problems.add(key + ": no security");
      } else if (r.isPublic() != sec.isEmpty()) {
        problems.add(key + ": security " + sec + " but the route is " + r.action());
      }
      Object action =
          op.getExtensions() == null ? null : op.getExtensions().get("x-maestro-action");
      if (action != null && !action.equals(r.action())) {
        problems.add(key + ": x-maestro-action " + action + " but the route decides " + r.action());
      }
    }
    assertThat(problems).isEmpty();
    assertThat(api.getSecurity()).as("root security").isNotEmpty();
  }

  /**
   * Read from the document's own tree: swagger-parser's 3.1 model drops the target of a response
   * {@code $ref} (with or without a sibling {@code description}), so it cannot tell.
   */
  @Test
  void everyOperation_listsA4xxProblemResponse() throws Exception {
    JsonNode doc = Json.YAML.readTree(Files.readString(DOC));
    List<String> missing = new ArrayList<>();
    doc.path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          if (!METHODS.contains(op.getKey())) {
                            return; // path-level parameters
                          }
                          boolean has4xx = false;
                          // SCIM routes answer errors in SCIM's format (RFC 7644 §3.12).
                          boolean scim = path.getKey().startsWith("/scim/v2");
                          for (var r : op.getValue().path("responses").properties()) {
                            JsonNode v = r.getValue();
                            has4xx |=
                                r.getKey().startsWith("4")
                                    && (scim
                                        ? SCIM_ERROR.equals(v.path("$ref").asText())
                                        : PROBLEM.equals(v.path("$ref").asText())
                                            || v.path("content").has("application/problem+json"));
                          }
                          if (!has4xx) {
                            missing.add(op.getKey() + " " + path.getKey());
                          }
                        }));
    assertThat(missing).isEmpty();
  }

  @Test
  void operations_areTheServedRoutes() {
    List<String> served =
        server.routes().stream().map(r -> r.method().text() + " " + r.path()).toList();
    assertThat(operations().keySet()).containsExactlyInAnyOrderElementsOf(served);
  }
}
