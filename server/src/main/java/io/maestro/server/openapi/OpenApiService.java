package io.maestro.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderValues;
import io.maestro.core.json.Json;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the API document at {@code /openapi.json}. The document is written first, by hand, in
 * {@code docs/api/openapi.yaml} and packaged into the server; a test fails when a served route is
 * missing from it or it lists a route the server does not serve.
 */
public final class OpenApiService implements ApiService {
  public static final String RESOURCE = "/openapi/openapi.yaml";
  private final byte[] json;

  public OpenApiService() {
    try {
      this.json = HttpJson.MAPPER.writeValueAsBytes(load());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The API document as a tree. */
  public static JsonNode load() {
    try (InputStream in = OpenApiService.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the API document " + RESOURCE + " is not packaged");
      }
      return Json.YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every operation in the document as {@code "GET /api/runs/{id}"}. */
  public static List<String> operations(JsonNode doc) {
    List<String> ops = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").properties().iterator();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> p = paths.next();
      for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
        String m = methods.next();
        if (List.of("get", "put", "post", "delete", "patch", "head", "options").contains(m)) {
          ops.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
        }
      }
    }
    return ops;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(
            "/openapi.json",
            "public",
            (req, res) -> {
              res.header(HeaderValues.CONTENT_TYPE_JSON);
              res.send(json);
            }));
  }
}
