package io.maestro.provenance.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An in-toto layout written as YAML ({@code docs/provenance/layout.yaml}): the steps of a release,
 * who may perform each (functionaries, by key name or key id), how many must sign, and the artifact
 * rules their materials and products must satisfy. Each step names the attestation file in the
 * release that stands for its link. Immutable.
 */
public record ReleaseLayout(String readme, List<Step> steps) {
  public ReleaseLayout {
    Objects.requireNonNull(readme, "readme");
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a layout has at least one step");
    }
  }

  /** One step of the supply chain. */
  public record Step(
      String name,
      List<String> expectedCommand,
      String attestation,
      String predicateType,
      List<String> functionaries,
      int threshold,
      List<ArtifactRules.Rule> expectedMaterials,
      List<ArtifactRules.Rule> expectedProducts) {
    public Step {
      Objects.requireNonNull(name, "name");
      expectedCommand = List.copyOf(expectedCommand);
      Objects.requireNonNull(attestation, "attestation");
      Objects.requireNonNull(predicateType, "predicateType");
      functionaries = List.copyOf(functionaries);
      if (functionaries.isEmpty() || threshold < 1) {
        throw new IllegalArgumentException(
            "step " + name + " needs functionaries and a threshold of at least 1");
      }
      expectedMaterials = List.copyOf(expectedMaterials);
      expectedProducts = List.copyOf(expectedProducts);
    }

    /** Whether a key (its name or its full id) is one of the step's functionaries. */
    public boolean authorizes(String keyName, String keyId) {
      return functionaries.contains(keyName) || functionaries.contains(keyId);
    }
  }

  public Step step(String name) {
    return steps.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the layout has no step " + name));
  }

  /** Reads the YAML form. */
  public static ReleaseLayout parse(String yaml) {
    JsonNode doc;
    try {
      doc = Json.YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException("the layout is not YAML: " + e.getMessage(), e);
    }
    if (doc == null || !"layout".equals(doc.path("_type").asText())) {
      throw new IllegalArgumentException("not an in-toto layout: _type is not 'layout'");
    }
    List<Step> steps = new ArrayList<>();
    for (JsonNode s : doc.path("steps")) {
      String name = s.path("name").asText("");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("a layout step has no name");
      }
      steps.add(
          new Step(
              name,
              strings(s.path("expected_command")),
              text(s, "attestation", name),
              text(s, "predicate_type", name),
              strings(s.path("functionaries")),
              s.path("threshold").asInt(1),
              ArtifactRules.parse(s.path("expected_materials"), name),
              ArtifactRules.parse(s.path("expected_products"), name)));
    }
    return new ReleaseLayout(doc.path("readme").asText(""), steps);
  }

  private static String text(JsonNode step, String field, String name) {
    String v = step.path(field).asText("");
    if (v.isEmpty()) {
      throw new IllegalArgumentException("layout step " + name + " has no " + field);
    }
    return v;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(n.asText());
    }
    return out;
  }
}
