package io.maestro.policy.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Module;
import io.maestro.rego.parser.Parser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A package's {@code # METADATA} annotation (OPA's schema: title, description, scope, custom …)
 * with Maestro's custom fields read out: severity, controls, profiles, reason codes and runnable
 * examples. A pack is a package with a package-scoped annotation whose {@code custom.pack} is not
 * false, in a file that is not a test.
 */
public record PackMetadata(
    String id,
    String file,
    int line,
    String title,
    String description,
    ObjectNode custom,
    List<Example> examples,
    Map<String, String> reasons) {

  private static final YAMLMapper YAML = new YAMLMapper();

  public PackMetadata {
    custom = custom.deepCopy();
    examples = List.copyOf(examples);
    reasons = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
  }

  /**
   * An example to document and to run: the value of {@code query} for {@code input} must equal
   * {@code expect}.
   */
  public record Example(String name, String query, JsonNode input, JsonNode expect, int index) {}

  public boolean isPack() {
    return custom.path("pack").asBoolean(true);
  }

  public String severity() {
    return custom.path("severity").asText("");
  }

  public List<String> list(String field) {
    List<String> out = new ArrayList<>();
    JsonNode n = custom.get(field);
    if (n != null && n.isArray()) {
      n.forEach(e -> out.add(e.asText()));
    } else if (n != null && n.isTextual()) {
      out.add(n.textValue());
    }
    return out;
  }

  /** The package-level metadata of one module, if it has any. */
  public static Optional<PackMetadata> of(String file, String source) {
    Module m = Parser.parseModule(file, source);
    String id = String.join(".", m.pkg());
    for (Module.Annotation a : m.annotations()) {
      JsonNode y;
      try {
        y = YAML.readTree(a.yaml());
      } catch (java.io.IOException e) {
        throw new RegoException(
            "rego_parse_error",
            "METADATA is not valid YAML: " + firstLine(e.getMessage()),
            a.loc());
      }
      if (y == null || !y.isObject()) {
        continue;
      }
      boolean packageScope =
          "package".equals(y.path("scope").asText(null))
              || (y.path("scope").isMissingNode() && a.line() + 1 == m.loc().line());
      if (!packageScope) {
        continue;
      }
      ObjectNode custom =
          y.path("custom").isObject()
              ? (ObjectNode) y.get("custom")
              : JsonNodeFactory.instance.objectNode();
      List<Example> examples = new ArrayList<>();
      JsonNode ex = custom.path("examples");
      for (int i = 0; i < ex.size(); i++) {
        JsonNode e = ex.get(i);
        examples.add(
            new Example(
                e.path("name").asText("example " + (i + 1)),
                e.path("query").asText("data." + id + ".deny"),
                e.get("input"),
                e.get("expect"),
                i));
      }
      Map<String, String> reasons = new LinkedHashMap<>();
      custom
          .path("reasons")
          .properties()
          .forEach(r -> reasons.put(r.getKey(), r.getValue().asText()));
      return Optional.of(
          new PackMetadata(
              id,
              file,
              a.loc().line(),
              y.path("title").asText(id),
              y.path("description").asText("").strip(),
              custom,
              examples,
              reasons));
    }
    return Optional.empty();
  }

  /** The packs among {@code modules} (test files and non-pack packages left out), by id. */
  public static Map<String, PackMetadata> packs(Map<String, String> modules) {
    Map<String, PackMetadata> out = new java.util.TreeMap<>();
    modules.forEach(
        (file, src) -> {
          if (!file.endsWith("_test.rego")) {
            of(file, src).filter(PackMetadata::isPack).ifPresent(p -> out.put(p.id(), p));
          }
        });
    return out;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
