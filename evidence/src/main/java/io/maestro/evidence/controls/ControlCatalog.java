package io.maestro.evidence.controls;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The versioned control catalog ({@code catalog.yaml} beside this class): each control, the
 * frameworks it maps to, whether Maestro owns it or supports it with evidence, the features that
 * implement it and the receipt types that prove it. Immutable.
 */
public record ControlCatalog(String version, List<Control> controls) {
  public ControlCatalog {
    controls = List.copyOf(controls);
  }

  /** One control. */
  public record Control(
      String id,
      String title,
      List<String> frameworks,
      String mode,
      List<String> features,
      List<String> evidence) {
    public Control {
      frameworks = List.copyOf(frameworks);
      features = List.copyOf(features);
      evidence = List.copyOf(evidence);
    }
  }

  /** The catalog shipped with this version. */
  public static ControlCatalog standard() {
    try (InputStream in = ControlCatalog.class.getResourceAsStream("catalog.yaml")) {
      return parse(Json.YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ControlCatalog parse(JsonNode doc) {
    List<Control> controls = new ArrayList<>();
    for (JsonNode c : doc.path("controls")) {
      String mode = c.path("mode").asText();
      if (!mode.equals("owned") && !mode.equals("supported-via-evidence")) {
        throw new IllegalArgumentException("control " + c.path("id") + ": unknown mode " + mode);
      }
      controls.add(
          new Control(
              c.path("id").asText(),
              c.path("title").asText(),
              texts(c.path("frameworks")),
              mode,
              texts(c.path("features")),
              texts(c.path("evidence"))));
    }
    return new ControlCatalog(doc.path("version").asText(), controls);
  }

  public Optional<Control> find(String id) {
    return controls.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
