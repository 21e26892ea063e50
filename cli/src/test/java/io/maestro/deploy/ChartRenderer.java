package io.maestro.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders deploy/helm/maestro without helm (no helm binary or helm-java artifact is reachable from
 * these machines): the chart keeps to a subset of Helm templating — {@code .Values.path}, {@code
 * .Release.Name|Namespace}, {@code .Chart.Name|AppVersion}, the pipes {@code quote} and {@code
 * b64enc}, {@code toYaml X | nindent N} and {@code {{- if .Values.x }} … {{- end }}} (not nested) —
 * and any other action fails the render, so the chart cannot drift into what this renderer would
 * get wrong.
 */
final class ChartRenderer {
  private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");

  /** {@code {{- if .Values.x }} … {{- end }}}, not nested; {@code {{-} trims the whitespace before. */
  private static final Pattern IF =
      Pattern.compile(
          "\\s*\\{\\{-\\s*if\\s+(\\S+)\\s*}}(.*?)\\s*\\{\\{-\\s*end\\s*}}", Pattern.DOTALL);

  private ChartRenderer() {}

  /** The rendered documents, parsed, for the values file of one edition. */
  static List<JsonNode> render(Path chart, String valuesFile, String release, String namespace)
      throws IOException {
    ObjectNode values = (ObjectNode) Json.YAML.readTree(chart.resolve("values.yaml").toFile());
    merge(values, Json.YAML.readTree(chart.resolve(valuesFile).toFile()));
    JsonNode meta = Json.YAML.readTree(chart.resolve("Chart.yaml").toFile());
    List<JsonNode> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(chart.resolve("templates"))) {
      for (Path t : files.sorted().toList()) {
        String text = Files.readString(t, StandardCharsets.UTF_8);
        String out = renderText(text, values, meta, release, namespace, t.getFileName().toString());
        for (String doc : out.split("(?m)^---\\s*$")) {
          if (!doc.isBlank()) {
            docs.add(Json.YAML.readTree(doc));
          }
        }
      }
    }
    return docs;
  }

  static String renderText(
      String text, JsonNode values, JsonNode meta, String release, String ns, String file) {
    Matcher branch = IF.matcher(text);
    StringBuilder kept = new StringBuilder();
    while (branch.find()) {
      JsonNode v = lookup(values, branch.group(1), file);
      boolean truthy = v.isBoolean() ? v.asBoolean() : !v.isNull() && !v.asText("x").isEmpty();
      branch.appendReplacement(kept, Matcher.quoteReplacement(truthy ? branch.group(2) : ""));
    }
    branch.appendTail(kept);
    text = kept.toString();
    Matcher m = ACTION.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String expr = m.group(1);
      String value;
      if (expr.startsWith("toYaml ")) {
        Matcher y = Pattern.compile("toYaml (\\S+) \\| nindent (\\d+)").matcher(expr);
        if (!y.matches()) {
          throw new IllegalArgumentException(file + ": unsupported action {{ " + expr + " }}");
        }
        JsonNode node = lookup(values, y.group(1), file);
        String indent = " ".repeat(Integer.parseInt(y.group(2)));
        String yaml;
        try {
          yaml = Json.YAML.writeValueAsString(node).replaceFirst("^---\\s*\n", "").stripTrailing();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        value = "\n" + indent + yaml.replace("\n", "\n" + indent);
        // nindent starts a new line: drop the spaces before the action on its own line.
        int lineStart = out.lastIndexOf("\n") + 1;
        String before = text.substring(0, m.start());
        int col = before.length() - (before.lastIndexOf('\n') + 1);
        m.appendReplacement(out, "");
        out.setLength(out.length() - col);
        out.append(value.substring(1));
        continue;
      }
      String[] pipe = expr.split("\\s*\\|\\s*");
      String base = pipe[0];
      String v =
          switch (base) {
            case ".Release.Name" -> release;
            case ".Release.Namespace" -> ns;
            case ".Chart.Name" -> meta.path("name").asText();
            case ".Chart.AppVersion" -> meta.path("appVersion").asText();
            default -> {
              if (!base.startsWith(".Values.")) {
                throw new IllegalArgumentException(
                    file + ": unsupported action {{ " + expr + " }}");
              }
              yield lookup(values, base, file).asText();
            }
          };
      for (int i = 1; i < pipe.length; i++) {
        v =
            switch (pipe[i]) {
              case "quote" -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
              case "b64enc" ->
                  Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
              default -> throw new IllegalArgumentException(file + ": unsupported pipe " + pipe[i]);
            };
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static JsonNode lookup(JsonNode values, String path, String file) {
    JsonNode n = values;
    for (String p : path.substring(".Values.".length()).split("\\.")) {
      n = n.path(p);
    }
    if (n.isMissingNode()) {
      throw new IllegalArgumentException(file + ": no value " + path);
    }
    return n;
  }

  private static void merge(ObjectNode base, JsonNode over) {
    over.properties()
        .forEach(
            e -> {
              JsonNode b = base.get(e.getKey());
              if (b instanceof ObjectNode bo && e.getValue().isObject()) {
                merge(bo, e.getValue());
              } else {
                base.set(e.getKey(), e.getValue());
              }
            });
  }
}
